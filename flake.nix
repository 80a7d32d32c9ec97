{
  description = "nixforge: a plugin-based batch pipeline for Nix (scan, generate, events, history)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forAllSystems =
        f:
        builtins.listToAttrs (
          map (system: {
            name = system;
            value = f system nixpkgs.legacyPackages.${system};
          }) systems
        );
      version = (builtins.fromJSON (builtins.readFile ./package.json)).version;

      # package-lock.json as importNpmLock needs it. npm leaves `resolved` out of the lock when it is the default
      # registry's URL (omit-lockfile-registry-resolved, set on the machines this lock is written on), and
      # importNpmLock fetches only entries that have one, so the URL npm itself would use is filled in:
      # https://registry.npmjs.org/NAME/-/BASENAME-VERSION.tgz, checked against the lock's `integrity`.
      lock = builtins.fromJSON (builtins.readFile ./package-lock.json);
      registryUrl =
        path: entry:
        let
          name = entry.name or (builtins.elemAt (builtins.match "(.*node_modules/)?(.+)" path) 1);
          baseName = builtins.elemAt (builtins.match "(@[^/]+/)?(.+)" name) 1;
        in
        "https://registry.npmjs.org/${name}/-/${baseName}-${entry.version}.tgz";
      needsUrl =
        path: entry:
        builtins.match ".*node_modules/.+" path != null
        && !(entry.link or false)
        && !(entry ? resolved)
        && entry ? version;
      packageLock = lock // {
        packages = builtins.mapAttrs (
          path: entry: if needsUrl path entry then entry // { resolved = registryUrl path entry; } else entry
        ) lock.packages;
      };

      nixforgeFor =
        pkgs:
        let
          nodejs = pkgs.nodejs_20;
        in
        pkgs.buildNpmPackage {
          pname = "nixforge";
          inherit version nodejs;
          src = ./.;
          # Every dependency is fetched by the integrity hash package-lock.json already records (workspace
          # packages are taken from the source), so no second hash has to be kept in step with the lock.
          npmDeps = pkgs.importNpmLock {
            npmRoot = ./.;
            inherit packageLock;
          };
          npmConfigHook = pkgs.importNpmLock.npmConfigHook;
          # node-gyp compiles the Nix grammar addon of packages/core during the build.
          nativeBuildInputs = [
            pkgs.python3
            pkgs.gnumake
            pkgs.makeWrapper
          ];
          # `npm run build` builds every workspace package through nx (TypeScript and the addon).
          npmBuildScript = "build";
          env = {
            NX_DAEMON = "false";
            NX_NO_CLOUD = "true";
            NX_TUI = "false";
          };
          installPhase = ''
            runHook preInstall
            mkdir -p $out/lib/nixforge $out/bin
            cp -r package.json node_modules packages $out/lib/nixforge/
            makeWrapper ${nodejs}/bin/node $out/bin/nixforge \
              --add-flags $out/lib/nixforge/packages/runner/bin/nixforge.js
            runHook postInstall
          '';
          meta = {
            description = "Scan, generate and publish Nix at scale";
            mainProgram = "nixforge";
            license = pkgs.lib.licenses.mit;
          };
        };
    in
    {
      packages = forAllSystems (
        _system: pkgs: rec {
          nixforge = nixforgeFor pkgs;
          default = nixforge;
        }
      );

      # `nix run . -- scan .`
      apps = forAllSystems (
        system: _pkgs: {
          default = {
            type = "app";
            program = "${self.packages.${system}.default}/bin/nixforge";
            meta.description = "nixforge command line";
          };
        }
      );

      # `nix develop`: Node.js 20, the C toolchain for the addon, and what the tests use (nats-server, Nix).
      devShells = forAllSystems (
        _system: pkgs: {
          default = pkgs.mkShell {
            packages = [
              pkgs.nodejs_20
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
    };
}
