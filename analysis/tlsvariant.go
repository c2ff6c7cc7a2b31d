package analysis

import "strings"

// TLSVariant returns the TLS variant of a cleartext protocol of the
// AsyncAPI protocol list ("kafka" -> "kafka-secure"), or "" when there is
// none; quick fixes offer it for security-insecure-transport.
func TLSVariant(protocol string) string {
	return tlsVariants[strings.ToLower(protocol)]
}
