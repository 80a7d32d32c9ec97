/*
 * The physical floor for nixforge's throughput: parse every file with the C tree-sitter library and the same
 * Nix grammar sources, and walk every node with a cursor, as the rule engine does. No analysis, no JS.
 *
 *   floor LIST_FILE THREADS
 *
 * LIST_FILE holds one path per line. Prints one JSON object:
 *   {"files":N,"bytes":B,"nodes":K,"errorTrees":E,"failedReads":F,"seconds":S,"cpuSeconds":C}
 * `seconds` is wall time for reading, parsing and walking all files (threads pull files from a shared index);
 * `cpuSeconds` is the CPU time of the process over the same span, which other load on the machine does not inflate.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_nix(void);

struct shared {
  char **paths;
  size_t count;
  atomic_size_t next;
};

struct totals {
  uint64_t bytes;
  uint64_t nodes;
  uint64_t error_trees;
  uint64_t failed_reads;
};

static struct shared work;

static char *read_file(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  if (fseek(file, 0, SEEK_END) != 0) { fclose(file); return NULL; }
  long size = ftell(file);
  if (size < 0) { fclose(file); return NULL; }
  rewind(file);
  char *buffer = malloc((size_t)size + 1);
  if (!buffer) { fclose(file); return NULL; }
  size_t got = fread(buffer, 1, (size_t)size, file);
  fclose(file);
  buffer[got] = '\0';
  *length = got;
  return buffer;
}

/* Pre-order walk of every node with a cursor; reads each node's symbol as a dispatching walk would. */
static uint64_t walk(TSTree *tree) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  uint64_t nodes = 0;
  uint64_t symbols = 0;
  for (;;) {
    nodes += 1;
    symbols += ts_node_symbol(ts_tree_cursor_current_node(&cursor));
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        /* `symbols` only keeps the compiler from dropping the symbol reads. */
        return nodes + (symbols == UINT64_MAX ? 1 : 0);
      }
    }
  }
}

static void *worker(void *arg) {
  struct totals *totals = arg;
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, tree_sitter_nix())) {
    fprintf(stderr, "floor: the grammar's ABI is not supported by this libtree-sitter\n");
    exit(2);
  }
  for (;;) {
    size_t index = atomic_fetch_add(&work.next, 1);
    if (index >= work.count) break;
    size_t length = 0;
    char *text = read_file(work.paths[index], &length);
    if (!text) { totals->failed_reads += 1; continue; }
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)length);
    if (tree) {
      if (ts_node_has_error(ts_tree_root_node(tree))) totals->error_trees += 1;
      totals->nodes += walk(tree);
      ts_tree_delete(tree);
    }
    totals->bytes += length;
    free(text);
  }
  ts_parser_delete(parser);
  return NULL;
}

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: floor LIST_FILE THREADS\n");
    return 2;
  }
  size_t list_length = 0;
  char *list = read_file(argv[1], &list_length);
  if (!list) { fprintf(stderr, "floor: cannot read %s\n", argv[1]); return 2; }
  int threads = atoi(argv[2]);
  if (threads < 1 || threads > 256) { fprintf(stderr, "floor: THREADS must be 1..256\n"); return 2; }

  size_t capacity = 1024;
  work.paths = malloc(capacity * sizeof(char *));
  for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
    if (work.count == capacity) { capacity *= 2; work.paths = realloc(work.paths, capacity * sizeof(char *)); }
    work.paths[work.count++] = line;
  }
  atomic_init(&work.next, 0);

  pthread_t ids[256];
  struct totals totals[256];
  memset(totals, 0, sizeof totals);
  double started = clock_seconds(CLOCK_MONOTONIC);
  double cpu_started = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, worker, &totals[i]);
  struct totals sum = {0, 0, 0, 0};
  for (int i = 0; i < threads; i++) {
    pthread_join(ids[i], NULL);
    sum.bytes += totals[i].bytes;
    sum.nodes += totals[i].nodes;
    sum.error_trees += totals[i].error_trees;
    sum.failed_reads += totals[i].failed_reads;
  }
  double seconds = clock_seconds(CLOCK_MONOTONIC) - started;
  double cpu_seconds = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_started;
  printf("{\"files\":%zu,\"bytes\":%llu,\"nodes\":%llu,\"errorTrees\":%llu,\"failedReads\":%llu,\"seconds\":%.6f,\"cpuSeconds\":%.6f}\n", work.count,
         (unsigned long long)sum.bytes, (unsigned long long)sum.nodes, (unsigned long long)sum.error_trees,
         (unsigned long long)sum.failed_reads, seconds, cpu_seconds);
  free(work.paths);
  free(list);
  return 0;
}
