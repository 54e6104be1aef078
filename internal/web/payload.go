package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/i18n"
)

// explanation is the score of a match item, explained per field.
type explanation struct {
	HasScore bool
	Score    float64 // match probability in [0,1]
	Total    float64 // sum of the field weights (log-odds), if given
	Prior    float64 // the prior weight (log-odds before any field)
	Bars     []bar
	Rules    []string // name rules that fired
}

// bar is one field's contribution to the score, drawn as a diverging bar
// in a 0..200 box centred on 100.
type bar struct {
	Field  string // its label
	Key    string // the field as the payload names it (birth_year)
	Weight float64
	Note   string   // what the comparison found ("equal", "1 year apart"…)
	Values string   // the two values compared ("Həsənov ↔ Гасанов"), if given
	Rules  []string // rules of this field
	X, W   float64  // the rectangle
	Pos    bool
}

type keyValue struct{ Key, Value string }

// decodePayload reads the parts of an item's JSON payload the page shows
// specially (score, per-field weights, name rules) and returns the rest
// as key/value lines. It is lenient: payloads differ by kind and an
// unknown shape degrades to the key/value lines.
func decodePayload(p *i18n.Printer, payload string) (explanation, []keyValue) {
	var ex explanation
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(payload))
	dec.UseNumber()
	if strings.TrimSpace(payload) == "" || dec.Decode(&m) != nil {
		if t := strings.TrimSpace(payload); t != "" && t != "{}" {
			return ex, []keyValue{{fieldLabel(p, "payload"), payload}}
		}
		return ex, nil
	}
	shown := map[string]bool{}
	take := func(mm map[string]any, keys ...string) (string, any) {
		for _, k := range keys {
			if v, ok := mm[k]; ok {
				return k, v
			}
		}
		return "", nil
	}
	num := func(v any) (float64, bool) {
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			return f, err == nil
		case float64:
			return x, true
		}
		return 0, false
	}
	strs := func(v any) []string {
		var out []string
		if a, ok := v.([]any); ok {
			for _, x := range a {
				switch y := x.(type) {
				case string:
					out = append(out, y)
				case map[string]any:
					if s, ok := y["rule"].(string); ok {
						out = append(out, s)
					} else if s, ok := y["name"].(string); ok {
						out = append(out, s)
					}
				}
			}
		}
		return out
	}
	scoreKeys := []string{"probability", "score", "match_probability", "p"}
	for _, k := range scoreKeys {
		if v, ok := m[k]; ok {
			if f, ok := num(v); ok {
				ex.Score, ex.HasScore = f, true
				shown[k] = true
				break
			}
		}
	}
	expl, top := m, true
	for _, k := range []string{"explanation", "explain", "why"} {
		if v, ok := m[k].(map[string]any); ok {
			expl, top, shown[k] = v, false, true
			break
		}
	}
	if !ex.HasScore && expl != nil {
		for _, k := range scoreKeys {
			if f, ok := num(expl[k]); ok {
				ex.Score, ex.HasScore = f, true
				break
			}
		}
	}
	if f, ok := num(expl["prior_weight"]); ok {
		ex.Prior = f
	}
	for _, k := range []string{"total", "weight", "log_odds", "logodds"} {
		if f, ok := num(expl[k]); ok {
			ex.Total = f
			break
		}
	}
	// Per-field weights: a list of objects or a map field -> weight/object.
	if k, v := take(expl, "fields", "weights", "comparisons", "field_weights"); k != "" {
		if top {
			shown[k] = true
		}
		field := func(name string, o any) {
			b := bar{Field: name}
			switch x := o.(type) {
			case map[string]any:
				for _, k := range []string{"field", "name"} {
					if s, ok := x[k].(string); ok && b.Field == "" {
						b.Field = s
					}
				}
				for _, k := range []string{"weight", "w", "contribution", "log_odds", "value"} {
					if f, ok := num(x[k]); ok {
						b.Weight = f
						break
					}
				}
				if f, ok := num(x["tf_adjustment"]); ok && f != 0 {
					b.Weight += f
					b.Rules = append(b.Rules, p.T("web.ex.tf", fmt.Sprintf("%+.2f", f)))
				}
				for _, k := range []string{"note", "detail", "level", "agreement", "relation", "outcome", "why"} {
					if s, ok := x[k].(string); ok && s != "" {
						b.Note = word(p, "web.level."+strings.ReplaceAll(s, " ", "-"), s)
						break
					}
				}
				b.Rules = append(strs(x["rules"]), b.Rules...)
				va, _ := x["a"].(string)
				vb, _ := x["b"].(string)
				if va != "" || vb != "" {
					b.Values = va + " ↔ " + vb
				}
			default:
				b.Weight, _ = num(x)
			}
			if b.Field != "" {
				b.Key, b.Field = b.Field, fieldLabel(p, b.Field)
				ex.Bars = append(ex.Bars, b)
			}
		}
		switch x := v.(type) {
		case []any:
			for _, o := range x {
				field("", o)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				field(k, x[k])
			}
		}
	}
	for _, k := range []string{"name_rules", "rules"} {
		if v, ok := expl[k]; ok {
			ex.Rules = append(ex.Rules, strs(v)...)
			if top {
				shown[k] = true
			}
		}
	}
	if n, ok := expl["names"].(map[string]any); ok {
		ex.Rules = append(ex.Rules, strs(n["rules"])...)
	}
	ex.Rules = dedupe(ex.Rules)
	if ex.Total == 0 {
		for _, b := range ex.Bars {
			ex.Total += b.Weight
		}
	}
	layoutBars(ex.Bars)
	// Everything else, as lines.
	var extra []keyValue
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if shown[k] || hiddenKeys[k] {
			continue
		}
		v := flat(m[k])
		if b, ok := m[k].(bool); ok {
			v = map[bool]string{true: p.T("web.yes"), false: p.T("web.no")}[b]
		}
		if o, ok := m[k].(map[string]any); ok {
			var parts []string
			for _, kk := range sortedKeysAny(o) {
				parts = append(parts, kk+": "+flat(o[kk]))
			}
			v = strings.Join(parts, "; ")
		}
		extra = append(extra, keyValue{Key: fieldLabel(p, k), Value: v})
	}
	return ex, extra
}

// hiddenKeys are payload keys the item page shows elsewhere (or that only
// the program reads).
var hiddenKeys = map[string]bool{"a": true, "b": true, "records": true, "record": true, "sides": true, "record_a": true,
	"record_b": true, "clusters": true, "votes": true, "item_id": true, "item_kind": true, "item_key": true, "round": true,
	"examples": true, "persons": true}

func sortedKeysAny(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// layoutBars scales the bars to the largest weight.
func layoutBars(bars []bar) {
	max := 0.0
	for _, b := range bars {
		max = math.Max(max, math.Abs(b.Weight))
	}
	if max == 0 {
		max = 1
	}
	for i := range bars {
		w := math.Abs(bars[i].Weight) / max * 98
		if w < 1 && bars[i].Weight != 0 {
			w = 1
		}
		bars[i].W = math.Round(w*10) / 10
		bars[i].Pos = bars[i].Weight >= 0
		if bars[i].Pos {
			bars[i].X = 100
		} else {
			bars[i].X = 100 - bars[i].W
		}
	}
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// flat renders a JSON value for a key/value line.
func flat(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case nil:
		return ""
	case bool:
		return fmt.Sprint(x)
	case []any:
		all := true
		var parts []string
		for _, y := range x {
			switch z := y.(type) {
			case string:
				parts = append(parts, z)
			case json.Number:
				parts = append(parts, z.String())
			default:
				all = false
			}
		}
		if all {
			return strings.Join(parts, ", ")
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(buf.String())
}
