module github.com/asyncapi-ls/asyncapi-ls

go 1.26.8

require (
	github.com/asyncapi/spec-json-schemas/v6 v6.11.1 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	github.com/sourcegraph/jsonrpc2 v0.2.0 // indirect
	github.com/tliron/glsp v0.2.2 // indirect
	go.lsp.dev/uri v1.0.1 // indirect
	go.yaml.in/yaml/v4 v4.0.0 // indirect
	golang.org/x/text v0.14.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
