module github.com/asyncapi-ls/asyncapi-ls

go 1.26.8

require (
	github.com/tliron/glsp v0.2.2 // indirect
	go.lsp.dev/uri v1.0.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
