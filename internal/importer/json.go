package importer

import (
	"bytes"
	"encoding/json"
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
	text, enc, err := decodeText(file, data)
	if err != nil {
		return nil, err
	}
	b := []byte(text)
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
		if err := dec.Decode(&raw); err != nil {
			return nil, &Error{File: file, Row: len(out) + 1, Msg: fmt.Sprintf("invalid JSON at line %d: %v", lineAt(dec.InputOffset()), err)}
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
