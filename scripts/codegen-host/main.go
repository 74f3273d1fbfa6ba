// Command codegen-host is a codegen-only Pulumi language host: it answers the CLI's
// GeneratePackage call (`pulumi package gen-sdk`) with the Python or Node.js SDK generators of
// github.com/pulumi/pulumi/pkg/v3/codegen, and implements nothing else (no programs run through
// it). It stands in for the official pulumi-language-python and pulumi-language-nodejs hosts,
// which the Go module proxy does not serve here.
//
// The language comes from the executable's name: installed as pulumi-language-python it generates
// Python, as pulumi-language-nodejs it generates Node.js (scripts/codegen-host.sh builds both).
// Like any plugin it prints the port it serves on and serves until the CLI stops it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// generator turns a bound package into SDK files (path relative to the SDK root -> contents).
type generator func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
	loader schema.ReferenceLoader) (map[string][]byte, error)

// generators maps the language named by the executable to its SDK generator.
var generators = map[string]generator{
	"python": func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		return python.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	},
	"nodejs": func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		return nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.ExtraFiles,
			req.LocalDependencies, req.Local, loader)
	},
}

// codegenHost serves GeneratePackage for one language; every other call is unimplemented.
type codegenHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language string
	generate generator
}

// GetPluginInfo reports the version of the pkg/v3 module whose generators this host runs.
func (h *codegenHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	version := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, module := range info.Deps {
			if module.Path == "github.com/pulumi/pulumi/pkg/v3" {
				version = strings.TrimPrefix(module.Version, "v")
			}
		}
	}
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GeneratePackage binds the request's schema (references resolved through the CLI's schema
// loader) and writes the generated SDK under req.Directory. Schema errors are returned as
// diagnostics, as the official hosts do.
func (h *codegenHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, fmt.Errorf("connect to the schema loader: %w", err)
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, fmt.Errorf("parse the package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, fmt.Errorf("bind the package schema: %w", err)
	}
	response := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}

	files, err := h.generate(pkg, req, loader)
	if err != nil {
		return nil, fmt.Errorf("generate the %s SDK: %w", h.language, err)
	}
	for name, contents := range files {
		path := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, contents, 0o600); err != nil {
			return nil, err
		}
	}
	return response, nil
}

// languageOf is the language in an executable name such as pulumi-language-python.
func languageOf(executable string) string {
	return strings.TrimPrefix(strings.TrimSuffix(filepath.Base(executable), ".exe"), "pulumi-language-")
}

func main() {
	language := languageOf(os.Args[0])
	generate, ok := generators[language]
	if !ok {
		fmt.Fprintf(os.Stderr, "codegen host: run as pulumi-language-python or pulumi-language-nodejs, not %q\n",
			filepath.Base(os.Args[0]))
		os.Exit(2)
	}
	host := &codegenHost{language: language, generate: generate}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "codegen host: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "codegen host: %v\n", err)
		os.Exit(1)
	}
}
