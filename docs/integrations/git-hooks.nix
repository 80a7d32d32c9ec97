# A project's flake.nix that runs nixforge on every commit through git-hooks.nix (cachix/git-hooks.nix):
# `nix develop` installs the Git hook, `nix flake check` runs it on the whole tree in CI.
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    git-hooks.url = "github:cachix/git-hooks.nix";
    nixforge.url = "github:nixforge/nixforge";
  };

  outputs =
    {
      nixpkgs,
      git-hooks,
      nixforge,
      ...
    }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      nixforgeBin = "${nixforge.packages.${system}.default}/bin/nixforge";
      pre-commit = git-hooks.lib.${system}.run {
        src = ./.;
        hooks = {
          nixforge = {
            enable = true;
            name = "nixforge";
            entry = "${nixforgeBin} scan --no-progress";
            files = "\\.nix$";
            language = "system";
            require_serial = true;
          };
          # Safe fixes before the lint; remove this hook to lint only.
          nixforge-fix = {
            enable = true;
            name = "nixforge (apply safe fixes)";
            entry = "${nixforgeBin} scan --fix --no-progress";
            files = "\\.nix$";
            language = "system";
            require_serial = true;
          };
        };
      };
    in
    {
      checks.${system}.pre-commit = pre-commit;
      devShells.${system}.default = pkgs.mkShell {
        inherit (pre-commit) shellHook;
        buildInputs = pre-commit.enabledPackages;
      };
    };
}
