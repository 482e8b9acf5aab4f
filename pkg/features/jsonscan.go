package features

// The JSON scanner: decodeFeature hands encoding/json the structure of a
// feature and scans the members of its properties object here itself, in
// the order written and without a map per feature, on text that
// encoding/json has already checked; the rest names JSON values and
// positions for messages.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// eachMember calls fn with the key, as a JSON string literal, and the value
// text of each member of the JSON object b, which encoding/json has
// already checked, in the order written.
func eachMember(b []byte, fn func(quoted, val []byte)) {
	i := skipSpace(b, 0) + 1 // past '{'
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return // '}'
		}
		end := skipValue(b, i)
		quoted := b[i:end]
		i = skipSpace(b, end) + 1 // past ':'
		i = skipSpace(b, i)
		end = skipValue(b, i)
		fn(quoted, b[i:end])
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
}

// members calls fn with the key and the value text of each member of the
// checked JSON object b. Keys are matched exactly, as RFC 7946 spells
// them.
func members(b []byte, fn func(key string, val []byte)) {
	eachMember(b, func(quoted, val []byte) {
		if bytes.IndexByte(quoted, '\\') < 0 {
			// No escapes: compare without allocating.
			switch k := quoted[1 : len(quoted)-1]; string(k) {
			case "type", "id", "properties", "geometry", "coordinates":
				fn(string(k), val)
			}
			return
		}
		fn(unquote(quoted), val)
	})
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at b[i], which
// is known to be valid.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return i
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipValue(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// literal decodes a JSON value as json.Decoder.UseNumber would, except
// that arrays and objects are only told apart (as a nil []any or a nil
// map[string]any): properties that hold them are neither ids nor
// measures.
func literal(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		return unquote(b)
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	case '[':
		return []any(nil)
	case '{':
		return map[string]any(nil)
	}
	return json.Number(b)
}

// unquote decodes a JSON string literal.
func unquote(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 && len(b) >= 2 {
		return string(b[1 : len(b)-1])
	}
	var s string
	_ = json.Unmarshal(b, &s)
	return s
}

// position says where byte offset off of data is, as an editor shows it:
// "line 3, column 14 (byte offset 57)". Lines and columns count from 1,
// columns in characters; the byte offset counts from 0.
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("line %d, column %d (byte offset %d)", line, col, off)
}

// jsonKind names the JSON type of a decoded value for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// rawKind names the JSON type of an undecoded value.
func rawKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
