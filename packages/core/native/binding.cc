// N-API binding that exposes the tree-sitter-nix grammar to tree-sitter 0.25's node binding.
// The grammar's own binding is NAN-based and not context-aware, so it cannot be loaded in more
// than one worker thread; this one is a plain N-API module and loads in any number of them.
#include <napi.h>

typedef struct TSLanguage TSLanguage;

extern "C" const TSLanguage *tree_sitter_nix();

// Must equal LANGUAGE_TYPE_TAG in tree-sitter's src/language.cc (b2sum of "tree-sitter"/"language").
static const napi_type_tag kLanguageTypeTag = {0x8AF2E5212AD58ABF, 0xD5006CAD83ABBA16};

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports["name"] = Napi::String::New(env, "nix");
  auto language = Napi::External<TSLanguage>::New(env, const_cast<TSLanguage *>(tree_sitter_nix()));
  language.TypeTag(&kLanguageTypeTag);
  exports["language"] = language;
  return exports;
}

NODE_API_MODULE(nixforge_nix_grammar, Init)
