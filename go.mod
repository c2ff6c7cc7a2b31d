module github.com/asyncapi-ls/asyncapi-ls

go 1.26

require (
	github.com/asyncapi/spec-json-schemas/v6 v6.11.1
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/sourcegraph/jsonrpc2 v0.2.0
	github.com/tliron/glsp v0.2.2
	go.lsp.dev/uri v1.0.1
	go.yaml.in/yaml/v4 v4.0.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/text v0.14.0
