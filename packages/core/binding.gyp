{
  "variables": {
    "grammar_dir": "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter-nix/package.json')))\")",
    "runtime_dir": "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter/package.json')))\")/vendor/tree-sitter/lib"
  },
  "targets": [
    {
      "target_name": "nixforge_nix_grammar",
      "cflags_c": ["-std=c11", "-O2", "-fvisibility=hidden"],
      "cflags_cc": ["-O2", "-fvisibility=hidden"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<(grammar_dir)/src",
        "<(runtime_dir)/include",
        "<(runtime_dir)/src"
      ],
      "sources": [
        "native/binding.cc",
        "<(grammar_dir)/src/parser.c",
        "<(grammar_dir)/src/scanner.c",
        "<(runtime_dir)/src/lib.c"
      ]
    }
  ]
}
