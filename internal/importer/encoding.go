package importer

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Encoding names reported in Result.Encoding.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	enc1251    = "windows-1251"
	// UTF-16 without a BOM is reported as encUTF16LE or encUTF16BE + "-nobom".
)

// decodeText detects the encoding of a text file and returns its content
// as UTF-8 (without a BOM). A binary or undecodable file is an *Error.
func decodeText(file string, data []byte) (text, enc string, err error) {
	u16, u16enc, isU16 := decodeUTF16NoBOM(data)
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text, enc = string(data[len(bomUTF8):]), encUTF8BOM
		if !utf8.ValidString(text) {
			return "", "", &Error{File: file, Row: lineOfInvalidUTF8(text), Msg: "invalid UTF-8 after a UTF-8 byte-order mark: expected UTF-8 text"}
		}
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		endian, name := xunicode.LittleEndian, encUTF16LE
		if data[0] == 0xFE {
			endian, name = xunicode.BigEndian, encUTF16BE
		}
		if len(data)%2 != 0 {
			return "", "", &Error{File: file, Msg: fmt.Sprintf("%s file has an odd number of bytes: expected 16-bit text", name)}
		}
		b, derr := xunicode.UTF16(endian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if derr != nil {
			return "", "", &Error{File: file, Msg: fmt.Sprintf("cannot decode %s: %v", name, derr)}
		}
		text, enc = string(b), name
		if bytes.Contains(b, []byte("\uFFFD")) {
			return "", "", &Error{File: file, Msg: fmt.Sprintf("invalid %s text (unpaired surrogates): expected UTF-16 text", name)}
		}
	case isU16:
		// Zero bytes on one side only: UTF-16 saved without a BOM.
		text, enc = u16, u16enc
	case utf8.Valid(data):
		text, enc = string(data), encUTF8
	default:
		if bytes.IndexByte(data, 0) >= 0 {
			return "", "", &Error{File: file, Msg: "binary file (NUL bytes): expected CSV/TSV text"}
		}
		t, ok := decode1251(data)
		if !ok {
			return "", "", &Error{File: file, Row: lineOfInvalidUTF8(string(data)), Msg: "unknown encoding or binary file: expected UTF-8, UTF-8 with BOM, UTF-16 or Windows-1251 text"}
		}
		text, enc = t, enc1251
	}
	if line, bad := binaryLine(text); bad {
		return "", "", &Error{File: file, Msg: fmt.Sprintf("binary file (NUL or control bytes, first on line %d): expected CSV/TSV text", line)}
	}
	return text, enc, nil
}

// binaryLine reports whether text has a NUL or more than a few control
// characters, and the line of the first one.
func binaryLine(text string) (int, bool) {
	ctrl, first := 0, 0
	line := 1
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			line++
			continue
		}
		if c < 0x20 && c != '\t' && c != '\r' || c == 0x7f {
			if first == 0 {
				first = line
			}
			if c == 0 {
				return first, true
			}
			ctrl++
		}
	}
	if ctrl > 0 && ctrl*100 > len(text) || ctrl > 32 {
		return first, true
	}
	return 0, false
}

// lineOfInvalidUTF8 returns the 1-based line of the first invalid byte.
func lineOfInvalidUTF8(s string) int {
	line := 1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return 0
}

// decodeUTF16NoBOM decodes UTF-16 text that has no byte-order mark. Every
// ASCII character (space, digit, comma, line break) of UTF-16 text has a
// zero byte, always on the same side (odd offsets for little-endian);
// Cyrillic and Azerbaijani letters have none. So in the first 64 KB at
// least one code unit in 20 (and at least 2) must have a zero byte on one
// side and the other side (almost) never, and the decoded text must be
// plausible: well-formed, and nearly all its letters Latin or Cyrillic
// (UTF-8 or binary bytes read as UTF-16 give CJK and unpaired
// surrogates). enc is "utf-16le-nobom" or "utf-16be-nobom".
func decodeUTF16NoBOM(data []byte) (text, enc string, ok bool) {
	n := min(len(data), 64<<10) &^ 1
	if n < 8 || bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return "", "", false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	var endian xunicode.Endianness
	switch {
	case odd >= 2 && odd*20 >= units && even*100 <= odd:
		endian, enc = xunicode.LittleEndian, encUTF16LE+"-nobom"
	case even >= 2 && even*20 >= units && odd*100 <= even:
		endian, enc = xunicode.BigEndian, encUTF16BE+"-nobom"
	default:
		return "", "", false
	}
	b, err := xunicode.UTF16(endian, xunicode.IgnoreBOM).NewDecoder().Bytes(data[:len(data)&^1])
	if err != nil || bytes.Contains(b, []byte("\uFFFD")) {
		return "", "", false
	}
	letters, foreign := 0, 0
	for _, r := range string(b) {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if r >= 0x250 && !unicode.Is(unicode.Cyrillic, r) {
			foreign++
		}
	}
	if letters == 0 || foreign*10 > letters {
		return "", "", false
	}
	return string(b), enc, true
}

// decode1251 decodes data as Windows-1251 and reports whether the result is
// plausibly Russian/Cyrillic text: the bytes ≥ 0x80 decode mostly to
// Cyrillic letters (or common punctuation), no undefined byte (0x98) occurs,
// and words rarely mix Latin and Cyrillic letters.
func decode1251(data []byte) (string, bool) {
	high, cyr, undefined := 0, 0, 0
	for _, b := range data {
		if b < 0x80 {
			continue
		}
		high++
		switch {
		case b >= 0xC0, b == 0xA8, b == 0xB8: // А..я, Ё, ё
			cyr++
		case b == 0x98:
			undefined++
		}
	}
	if high == 0 || undefined > 0 || cyr*10 < high*6 {
		return "", false
	}
	b, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	text := string(b)
	words, mixed := 0, 0
	for _, w := range bytes.FieldsFunc(b, func(r rune) bool { return !unicode.IsLetter(r) }) {
		lat, cy := false, false
		for _, r := range string(w) {
			if unicode.Is(unicode.Cyrillic, r) {
				cy = true
			} else if r < 0x250 {
				lat = true
			}
		}
		if cy {
			words++
			if lat {
				mixed++
			}
		}
	}
	if words == 0 || mixed*10 > words {
		return "", false
	}
	return text, true
}
