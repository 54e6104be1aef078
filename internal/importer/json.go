package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readJSON reads an array of objects (or an object holding exactly one
// such array, e.g. {"prisoners": [...]}); keys are headers. The raw row is
// the object's text exactly as in the file. Error rows are element numbers
// (1-based).
func readJSON(file string, data []byte, opts Options, tax *Taxonomy) (*parsed, error) {
	// Nesting and giant strings are refused before the text is decoded
	// and copied; UTF-16 (zero bytes) is checked once decoded.
	lim := opts.Limits.withDefaults()
	bytewise := bytes.IndexByte(data[:min(len(data), 4096)], 0) < 0 && !bytes.HasPrefix(data, bomUTF16LE) && !bytes.HasPrefix(data, bomUTF16BE)
	if bytewise {
		if err := checkJSONDepth(file, data, lim); err != nil {
			return nil, err
		}
	}
	text, enc, err := decodeText(file, data)
	if err != nil {
		return nil, err
	}
	b := []byte(text)
	if !bytewise {
		if err := checkJSONDepth(file, b, lim); err != nil {
			return nil, err
		}
	}
	elems, err := jsonElements(file, b)
	if err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return nil, &Error{File: file, Msg: "empty JSON array: expected an array of objects, one per person"}
	}
	var keys []string
	seen := map[string]int{}
	objs := make([][][2]string, len(elems))
	for i, el := range elems {
		kv, err := jsonObject(el)
		if err != nil {
			return nil, &Error{File: file, Row: i + 1, Msg: fmt.Sprintf("element %d: %v: expected an object of field values", i+1, err)}
		}
		objs[i] = kv
		for _, p := range kv {
			if _, ok := seen[p[0]]; !ok {
				if len(keys) == lim.Columns {
					return nil, &Error{File: file, Row: i + 1, Msg: fmt.Sprintf("element %d: the objects have more than %s different keys, over the limit of columns (--limit columns=N raises it)", i+1, group3(lim.Columns))}
				}
				seen[p[0]] = len(keys)
				keys = append(keys, p[0])
			}
		}
	}
	rows := make([]tabRow, 0, len(elems)+1)
	rows = append(rows, tabRow{cells: keys, line: 0})
	for i, kv := range objs {
		cells := make([]string, len(keys))
		for _, p := range kv {
			cells[seen[p[0]]] = p[1]
		}
		rows = append(rows, tabRow{cells: cells, line: i + 1, raw: string(elems[i])})
	}
	tr, err := readTable(file, rows, tableOpts{loc: "element", headerOnly: true, merge: true}, opts, tax)
	if err != nil {
		return nil, err
	}
	tr.format, tr.encoding = "json", enc
	tr.notes = append([]string{fmt.Sprintf("read as JSON, %s, %d objects, keys %s", enc, len(elems), quoteList(keys))}, tr.notes...)
	return &tr.parsed, nil
}

// jsonElements returns the raw text of each element of the top-level
// array (or of the only array-of-objects member of a top-level object).
func jsonElements(file string, b []byte) ([]json.RawMessage, error) {
	lineAt := func(off int64) int {
		if off > int64(len(b)) {
			off = int64(len(b))
		}
		return bytes.Count(b[:off], []byte("\n")) + 1
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &Error{File: file, Row: 0, Msg: fmt.Sprintf("invalid JSON at line %d: %v: expected an array of objects", lineAt(dec.InputOffset()), err)}
	}
	switch tok {
	case json.Delim('['):
	case json.Delim('{'):
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return nil, &Error{File: file, Msg: fmt.Sprintf("invalid JSON: %v: expected an array of objects", err)}
		}
		var found []json.RawMessage
		n := 0
		for _, v := range obj {
			var arr []json.RawMessage
			if json.Unmarshal(v, &arr) == nil && len(arr) > 0 && bytes.HasPrefix(bytes.TrimSpace(arr[0]), []byte("{")) {
				found = arr
				n++
			}
		}
		if n != 1 {
			return nil, &Error{File: file, Msg: "top-level JSON object: expected an array of objects (or an object holding exactly one)"}
		}
		return found, nil
	default:
		return nil, &Error{File: file, Msg: "top-level JSON value is not an array: expected an array of objects"}
	}
	var out []json.RawMessage
	for dec.More() {
		var raw json.RawMessage
		before := dec.InputOffset()
		if err := dec.Decode(&raw); err != nil {
			start, at := syntaxErrorAt(b, before)
			where := ""
			if lineAt(start) != lineAt(at) {
				where = fmt.Sprintf(" (which starts on line %d)", lineAt(start))
			}
			return nil, &Error{File: file, Row: lineAt(at), Msg: fmt.Sprintf("invalid JSON in element %d%s: %v", len(out)+1, where, err)}
		}
		out = append(out, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("invalid JSON at line %d: %v: expected the array to end with ]", lineAt(dec.InputOffset()), err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{File: file, Msg: fmt.Sprintf("invalid JSON at line %d: text after the array", lineAt(dec.InputOffset()))}
	}
	return out, nil
}

// syntaxErrorAt finds where an element that failed to decode starts (the
// first byte after the separator at off) and the offset of the byte the
// decoder choked on: a fresh decoder on the element alone counts its
// bytes from the element's start, which the array's decoder does not.
func syntaxErrorAt(b []byte, off int64) (start, at int64) {
	start = min(off, int64(len(b)))
	for start < int64(len(b)) && strings.IndexByte(" \t\r\n,", b[start]) >= 0 {
		start++
	}
	var raw json.RawMessage
	err := json.NewDecoder(bytes.NewReader(b[start:])).Decode(&raw)
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 {
		return start, start + se.Offset - 1
	}
	return start, start
}

// jsonObject returns an object's members in order, values rendered as
// text: strings as is, numbers as written, booleans, null as "", arrays of
// scalars joined with "; ", anything else as compact JSON.
func jsonObject(raw json.RawMessage) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var kv [][2]string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		kv = append(kv, [2]string{key, jsonText(v)})
	}
	return kv, nil
}

func jsonText(v json.RawMessage) string {
	t := bytes.TrimSpace(v)
	if len(t) == 0 {
		return ""
	}
	switch t[0] {
	case '"':
		var s string
		if json.Unmarshal(t, &s) == nil {
			return s
		}
	case 'n':
		return ""
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(t, &arr) == nil {
			parts := make([]string, 0, len(arr))
			for _, a := range arr {
				a = bytes.TrimSpace(a)
				if len(a) > 0 && (a[0] == '{' || a[0] == '[') {
					return compact(t)
				}
				parts = append(parts, jsonText(a))
			}
			return strings.Join(parts, "; ")
		}
	case '{':
		return compact(t)
	}
	if s, err := strconv.Unquote(string(t)); err == nil {
		return s
	}
	return string(t)
}

func compact(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}
