package parse

import "strings"

// Fields splits a header value like "a=1; b=2".
func Fields(s string) map[string]string {
	out := map[string]string{}
	for {
		i := strings.IndexByte(s, ';')
		part := s
		if i >= 0 {
			part = s[:i]
		}
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		out[k] = v
		if i < 0 {
			return out
		}
		s = s[i+1:]
	}
}
