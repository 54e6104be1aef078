package review

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Payloads are written with a small append-only JSON writer rather than
// encoding/json: a rebuild at a million records writes over a million of
// them, and the reflection and maps took most of Build's time. The output
// is what encoding/json gives for the same values (keys in the order
// written, which is sorted where encoding/json would sort a map's keys;
// strings HTML-escaped; floats formatted alike), so that stored payloads
// compare byte for byte across rebuilds.

// jsonw appends one JSON value. Callers open objects and arrays, write
// fields, and close them; commas are placed automatically.
type jsonw struct {
	b     []byte
	first bool // no value written yet in the innermost object or array
}

func (w *jsonw) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

// open starts an object as the next value (after key, in an array, or at the top).
func (w *jsonw) open() { w.b = append(w.b, '{'); w.first = true }

func (w *jsonw) close() { w.b = append(w.b, '}'); w.first = false }

// elem places the comma before the next element of an array.
func (w *jsonw) elem() { w.sep() }

func (w *jsonw) openArray() { w.b = append(w.b, '['); w.first = true }

func (w *jsonw) closeArray() { w.b = append(w.b, ']'); w.first = false }

func (w *jsonw) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.first = true // the value follows without a comma
}

func (w *jsonw) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
	w.first = false
}

// strOmit writes a string field unless it is empty (omitempty).
func (w *jsonw) strOmit(k, v string) {
	if v != "" {
		w.str(k, v)
	}
}

func (w *jsonw) int(k string, v int) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
	w.first = false
}

func (w *jsonw) float(k string, v float64) {
	w.key(k)
	w.b = appendFloat(w.b, v)
	w.first = false
}

func (w *jsonw) bool(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
	w.first = false
}

// strs writes a string array; nil is null, as encoding/json writes it.
func (w *jsonw) strs(k string, v []string) {
	w.key(k)
	if v == nil {
		w.b = append(w.b, "null"...)
		w.first = false
		return
	}
	w.b = append(w.b, '[')
	for i, s := range v {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, s)
	}
	w.b = append(w.b, ']')
	w.first = false
}

// strMap writes a map of strings with its keys sorted.
func (w *jsonw) strMap(k string, m map[string]string) {
	w.key(k)
	w.open()
	for _, mk := range sortedKeys(m) {
		w.str(mk, m[mk])
	}
	w.close()
}

func (w *jsonw) String() string { return string(w.b) }

// appendFloat formats a float64 as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// encoding/json refuses these; no payload carries one.
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString quotes a string as encoding/json does with HTML escaping
// on (its default): <, > and & as \u003c, \u003e and \u0026, invalid
// UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
