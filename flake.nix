{
  description = "nixforge: a plugin-based batch pipeline for Nix (scan, generate, events, history)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs =
    {
      self,
      nixpkgs,
      flake-utils,
    }:
    flake-utils.lib.eachDefaultSystem (
      system:
      let
        pkgs = nixpkgs.legacyPackages.${system};
        nodejs = pkgs.nodejs_20;
      in
      {
        # The CLI. npm dependencies are fetched by hash from package-lock.json; after changing the lock,
        # rebuild once and copy the hash Nix reports into npmDepsHash.
        packages.default = pkgs.buildNpmPackage {
          pname = "nixforge";
          version = "0.1.0";
          src = self;
          inherit nodejs;
          npmDepsHash = pkgs.lib.fakeHash;
          nativeBuildInputs = [
            pkgs.python3
            pkgs.gnumake
          ];
          # `npm ci` runs the workspace build (nx) through the root `prepare` script.
          dontNpmBuild = true;
          env.NX_DAEMON = "false";
          env.NX_NO_CLOUD = "true";
          installPhase = ''
            runHook preInstall
            mkdir -p $out/lib/nixforge $out/bin
            cp -r package.json node_modules packages $out/lib/nixforge/
            makeWrapper ${nodejs}/bin/node $out/bin/nixforge \
              --add-flags $out/lib/nixforge/packages/runner/bin/nixforge.js
            runHook postInstall
          '';
          nativeCheckInputs = [
            pkgs.nats-server
            pkgs.nix
          ];
          meta = {
            description = "Scan, generate and publish Nix at scale";
            mainProgram = "nixforge";
            license = pkgs.lib.licenses.mit;
          };
        };

        apps.default = flake-utils.lib.mkApp { drv = self.packages.${system}.default; };

        devShells.default = pkgs.mkShell {
          packages = [
            nodejs
            pkgs.nats-server
            pkgs.nix
            pkgs.python3
            pkgs.gnumake
            pkgs.gcc
            pkgs.tree-sitter
          ];
          shellHook = ''
            export NX_DAEMON=false
            export NX_NO_CLOUD=true
          '';
        };
      }
    );
}
