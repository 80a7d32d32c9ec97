// N-API binding for the tree-sitter-nix grammar.
//
// `language` exposes the grammar to tree-sitter 0.25's node binding (tagged so that binding accepts it).
// `parse` is the scanner's hot path: it parses with tree-sitter's C library (compiled from the sources the
// `tree-sitter` package vendors, so the runtime is the same version) and flattens the whole tree in one
// cursor walk into typed arrays, then frees the tree. JavaScript reads plain integers afterwards instead of
// crossing into native code for every node property, and no tree-sitter tree outlives the call.
// It is a plain N-API module, so it loads in any number of worker threads.
#include <napi.h>
#include <tree_sitter/api.h>

#include <cstring>
#include <malloc.h>
#include <vector>

extern "C" const TSLanguage *tree_sitter_nix();

// Must equal LANGUAGE_TYPE_TAG in tree-sitter's src/language.cc (b2sum of "tree-sitter"/"language").
static const napi_type_tag kLanguageTypeTag = {0x8AF2E5212AD58ABF, 0xD5006CAD83ABBA16};

// Node flags, one byte per node; FLAG_* in src/syntax-tree.ts must match.
enum : uint8_t {
  kNamed = 1,
  kMissing = 2,
  kExtra = 4,
  kHasError = 8,
  kError = 16,
};

// Trees with more nodes than this (files of a few MB) release their memory to the system after flattening.
static const uint32_t kTrimAfterNodes = 500000;

struct ThreadState {
  TSParser *parser = nullptr;
  std::vector<char16_t> text;
  std::vector<char> ascii;
};

static ThreadState *State(Napi::Env env) { return env.GetInstanceData<ThreadState>(); }

// Symbol names, their "named" flags and field names, indexed by id, so JavaScript can map the integers.
static Napi::Value Grammar(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const TSLanguage *language = tree_sitter_nix();
  uint32_t symbols = ts_language_symbol_count(language);
  auto names = Napi::Array::New(env, symbols);
  auto named = Napi::Array::New(env, symbols);
  for (uint32_t i = 0; i < symbols; i++) {
    names.Set(i, Napi::String::New(env, ts_language_symbol_name(language, (TSSymbol)i)));
    named.Set(i, Napi::Boolean::New(env, ts_language_symbol_type(language, (TSSymbol)i) == TSSymbolTypeRegular));
  }
  uint32_t fieldCount = ts_language_field_count(language);
  auto fields = Napi::Array::New(env, fieldCount + 1);
  fields.Set(0u, env.Null());
  for (uint32_t i = 1; i <= fieldCount; i++) {
    fields.Set(i, Napi::String::New(env, ts_language_field_name_for_id(language, (TSFieldId)i)));
  }
  auto result = Napi::Object::New(env);
  result["symbolNames"] = names;
  result["symbolNamed"] = named;
  result["fieldNames"] = fields;
  return result;
}

// parse(text) -> { count, buffer } where buffer holds, for `count` nodes in pre-order:
//   starts, ends (UTF-16 offsets), subtreeEnds (index after the node's last descendant), parents (-1 for the
//   root): uint32/int32 each; then kinds (symbol), fields (field id under the parent, 0 for none): uint16
//   each; then flags: uint8.
static Napi::Value Parse(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "parse(text) needs a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  ThreadState *state = State(env);
  napi_value input = info[0];
  size_t length = 0;
  napi_get_value_string_utf16(env, input, nullptr, 0, &length);
  // Most Nix files are pure ASCII, where a UTF-8 byte offset equals the UTF-16 offset JavaScript uses: those
  // are handed to tree-sitter as UTF-8 (half the bytes to copy and lex); the rest go as UTF-16.
  size_t utf8Length = 0;
  napi_get_value_string_utf8(env, input, nullptr, 0, &utf8Length);
  const bool ascii = utf8Length == length;
  unsigned shift = ascii ? 0 : 1;
  TSTree *tree;
  if (ascii) {
    state->ascii.resize(length + 1);
    napi_get_value_string_utf8(env, input, state->ascii.data(), length + 1, &length);
    tree = ts_parser_parse_string_encoding(state->parser, nullptr, state->ascii.data(), (uint32_t)length, TSInputEncodingUTF8);
    if (state->ascii.capacity() > (1u << 23)) std::vector<char>().swap(state->ascii);
  } else {
    state->text.resize(length + 1);
    napi_get_value_string_utf16(env, input, state->text.data(), length + 1, &length);
    tree = ts_parser_parse_string_encoding(state->parser, nullptr, reinterpret_cast<const char *>(state->text.data()),
                                           (uint32_t)(length * 2), TSInputEncodingUTF16LE);
    if (state->text.capacity() > (1u << 22)) std::vector<char16_t>().swap(state->text);
  }
  if (tree == nullptr) {
    Napi::Error::New(env, "tree-sitter returned no tree").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  TSNode root = ts_tree_root_node(tree);
  uint32_t count = ts_node_descendant_count(root);

  size_t bytes = (size_t)count * (4 * 4 + 2 * 2 + 1);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes == 0 ? 1 : bytes);
  auto *base = static_cast<uint8_t *>(buffer.Data());
  auto *starts = reinterpret_cast<uint32_t *>(base);
  auto *ends = starts + count;
  auto *subtreeEnds = ends + count;
  auto *parents = reinterpret_cast<int32_t *>(subtreeEnds + count);
  auto *kinds = reinterpret_cast<uint16_t *>(parents + count);
  auto *fields = kinds + count;
  auto *flags = reinterpret_cast<uint8_t *>(fields + count);

  std::vector<uint32_t> open;  // indices of the ancestors of the cursor's node
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t next = 0;
  for (;;) {
    if (next >= count) break;  // cannot happen unless descendant_count disagrees with the walk
    TSNode node = ts_tree_cursor_current_node(&cursor);
    uint32_t index = next++;
    starts[index] = ts_node_start_byte(node) >> shift;
    ends[index] = ts_node_end_byte(node) >> shift;
    parents[index] = open.empty() ? -1 : (int32_t)open.back();
    kinds[index] = ts_node_symbol(node);
    fields[index] = ts_tree_cursor_current_field_id(&cursor);
    uint8_t f = 0;
    if (ts_node_is_named(node)) f |= kNamed;
    if (ts_node_is_missing(node)) f |= kMissing;
    if (ts_node_is_extra(node)) f |= kExtra;
    if (ts_node_has_error(node)) f |= kHasError;
    if (ts_node_is_error(node)) f |= kError;
    flags[index] = f;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      open.push_back(index);
      continue;
    }
    subtreeEnds[index] = next;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
      if (!ts_tree_cursor_goto_parent(&cursor)) goto done;
      subtreeEnds[open.back()] = next;
      open.pop_back();
    }
  }
done:
  while (!open.empty()) {
    subtreeEnds[open.back()] = next;
    open.pop_back();
  }
  ts_tree_cursor_delete(&cursor);
  ts_tree_delete(tree);
  // A big tree is millions of small allocations; glibc keeps their pages after free, and V8 (which maps its
  // own memory) cannot reuse them, so the analysis that follows would add its peak on top of the tree's.
  // Returning them to the system makes a 25 MB file's peak the larger of the two instead of their sum.
  if (count > kTrimAfterNodes) malloc_trim(0);

  auto result = Napi::Object::New(env);
  result["count"] = Napi::Number::New(env, next);
  result["buffer"] = buffer;
  return result;
}

static void FreeState(Napi::Env, ThreadState *state) {
  ts_parser_delete(state->parser);
  delete state;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports["name"] = Napi::String::New(env, "nix");
  auto language = Napi::External<TSLanguage>::New(env, const_cast<TSLanguage *>(tree_sitter_nix()));
  language.TypeTag(&kLanguageTypeTag);
  exports["language"] = language;
  exports["grammar"] = Napi::Function::New(env, Grammar, "grammar");
  exports["parse"] = Napi::Function::New(env, Parse, "parse");
  auto *state = new ThreadState();
  state->parser = ts_parser_new();
  ts_parser_set_language(state->parser, tree_sitter_nix());
  env.SetInstanceData<ThreadState, FreeState>(state);
  return exports;
}

NODE_API_MODULE(nixforge_nix_grammar, Init)
