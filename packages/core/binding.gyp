{
  "targets": [
    {
      "target_name": "nixforge_nix_grammar",
      "cflags_c": ["-std=c11", "-O2"],
      "cflags_cc": ["-O2"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter-nix/package.json')))\")/src"
      ],
      "sources": [
        "native/binding.cc",
        "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter-nix/package.json')))\")/src/parser.c",
        "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter-nix/package.json')))\")/src/scanner.c"
      ]
    }
  ]
}
