package server

import (
	"github.com/asyncapi-ls/asyncapi-ls/analysis"
	"github.com/asyncapi-ls/asyncapi-ls/analysis/syntax"
)

type (
	analysisDocument = analysis.Document
	analysisEdit     = syntax.Edit
	analysisMapper   = syntax.Mapper
)

var analysisUpdate = analysis.UpdateApplied

// demoV3 is a small 3.0 document with one undefined scheme (line 21).
const demoV3 = `asyncapi: 3.0.0
info:
  title: Demo
  version: 1.0.0
servers:
  production:
    host: broker.example.com
    protocol: kafka-secure
    security:
      - $ref: '#/components/securitySchemes/saslScram'
channels:
  orders:
    address: orders
operations:
  sendOrder:
    action: send
    channel:
      $ref: '#/channels/orders'
    security:
      - $ref: '#/components/securitySchemes/oauth'
      - $ref: '#/components/securitySchemes/missingScheme'
components:
  securitySchemes:
    saslScram:
      type: scramSha256
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          availableScopes:
            orders:write: Write orders
      scopes:
        - orders:write
`
