package features

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asyncapi-ls/asyncapi-ls/analysis"
)

// renderOutline writes one line per symbol: indentation, name, kind,
// detail, and the text its selection covers; and checks that every range
// contains its selection and its children.
func renderOutline(t *testing.T, d *analysis.Document, syms []Symbol, depth int, b *strings.Builder) {
	t.Helper()
	for _, s := range syms {
		if s.Range.Start > s.Selection.Start || s.Range.End < s.Selection.End {
			t.Errorf("%s: range %v does not contain selection %v", s.Name, s.Range, s.Selection)
		}
		for _, c := range s.Children {
			if c.Range.Start < s.Range.Start || c.Range.End > s.Range.End {
				t.Errorf("%s: child %s range %v outside %v", s.Name, c.Name, c.Range, s.Range)
			}
		}
		fmt.Fprintf(b, "%s%s (%d) %q sel=%q\n", strings.Repeat("  ", depth), s.Name, s.Kind, s.Detail, d.Text[s.Selection.Start:s.Selection.End])
		renderOutline(t, d, s.Children, depth+1, b)
	}
}

func TestOutline(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"v3", `asyncapi: 3.0.0
info: {title: Orders, version: 1.2.0}
servers:
  prod:
    host: broker.example.com
    protocol: kafka
  shared: {$ref: '#/components/servers/base'}
channels:
  orders:
    address: orders.{id}
operations:
  placeOrder:
    action: send
    channel: {$ref: '#/channels/orders'}
components:
  securitySchemes:
    oauth: {type: oauth2}
  messages:
    created: {payload: {type: object}}
  servers:
    base: {host: h, protocol: mqtt}
  operationTraits:
    common: {}
`, `Info (2) "Orders 1.2.0" sel="info"
servers (1) "" sel="servers"
  prod (3) "kafka broker.example.com" sel="prod"
  shared (3) "→ #/components/servers/base" sel="shared"
channels (1) "" sel="channels"
  orders (4) "orders.{id}" sel="orders"
operations (1) "" sel="operations"
  placeOrder (5) "send → orders" sel="placeOrder"
components (1) "" sel="components"
  securitySchemes (6) "" sel="securitySchemes"
    oauth (7) "oauth2" sel="oauth"
  messages (6) "" sel="messages"
    created (8) "" sel="created"
  servers (6) "" sel="servers"
    base (3) "mqtt h" sel="base"
  operationTraits (6) "" sel="operationTraits"
    common (10) "" sel="common"
`},
		{"v2", `asyncapi: '2.6.0'
info:
  title: V2
  version: '1'
servers:
  prod: {url: 'mqtt://b', protocol: mqtt}
channels:
  'sensors/{id}':
    subscribe:
      operationId: onSensor
    publish: {}
`, `Info (2) "V2 1" sel="info"
servers (1) "" sel="servers"
  prod (3) "mqtt mqtt://b" sel="prod"
channels (1) "" sel="channels"
  sensors/{id} (4) "" sel="'sensors/{id}'"
    onSensor (5) "subscribe" sel="subscribe"
    publish (5) "publish" sel="publish"
`},
		{"broken line keeps the rest", `asyncapi: 3.0.0
operations:
  a:
    action: send
    description: 'unclosed
  b:
    action: receive
`, ""},
		{"not asyncapi", "openapi: 3.0.0\npaths: {}\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := analysis.Analyze([]byte(c.doc))
			var b strings.Builder
			renderOutline(t, d, Outline(d), 0, &b)
			if c.name == "broken line keeps the rest" {
				// Whatever the syntax layer salvages, the outline never
				// panics and never points outside the text.
				return
			}
			if b.String() != c.want {
				t.Errorf("outline:\n%s\nwant:\n%s", b.String(), c.want)
			}
		})
	}
}

func TestSearchSymbols(t *testing.T) {
	d := analysis.Analyze([]byte("asyncapi: 3.0.0\noperations:\n  sendOrder: {action: send}\n  receiveUser: {action: receive}\ncomponents:\n  securitySchemes:\n    orderOAuth: {type: oauth2}\n"))
	got := func(q string) string {
		var names []string
		for _, s := range SearchSymbols(Outline(d), q) {
			names = append(names, s.Container+":"+s.Name)
		}
		return strings.Join(names, ",")
	}
	for q, want := range map[string]string{
		"sndord": "operations:sendOrder",
		"ORDER":  "operations:sendOrder,components/securitySchemes:orderOAuth",
		"":       "operations:sendOrder,operations:receiveUser,components/securitySchemes:orderOAuth",
		"zzz":    "",
	} {
		if g := got(q); g != want {
			t.Errorf("query %q: got %s, want %s", q, g, want)
		}
	}
}
