package names

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The equivalence net for performance work on Compare: a few thousand name
// pairs (fixtures, fuzz seeds, dev-set spellings and mixtures of them) with
// the full Comparison the engine gave when the file was written. The inputs
// are stored in the file, so the test does not depend on ../shared.
// Regenerate (only when results are meant to change) with
//
//	go test -run TestCompareGolden ./internal/names -update-golden

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/compare_golden.jsonl from the current code")

const goldenPath = "testdata/compare_golden.jsonl"

// goldenCase is one pair. Mode says how the names are built: "parse"
// (Parse of A and B), "sur"/"giv" (FromParts with only that column), or
// "parts" (A and B are "surname|given|patronymic" for FromParts).
type goldenCase struct {
	Mode string     `json:"mode"`
	A    string     `json:"a"`
	B    string     `json:"b"`
	C    Comparison `json:"c"`
}

func (g goldenCase) names() (Name, Name) {
	build := func(s string) Name {
		switch g.Mode {
		case "sur":
			return FromParts(s, "", "")
		case "giv":
			return FromParts("", s, "")
		case "parts":
			p := strings.SplitN(s, "|", 3)
			for len(p) < 3 {
				p = append(p, "")
			}
			return FromParts(p[0], p[1], p[2])
		}
		return Parse(s)
	}
	return build(g.A), build(g.B)
}

func goldenInputs(t *testing.T) []goldenCase {
	var cs []goldenCase
	add := func(mode, a, b string) { cs = append(cs, goldenCase{Mode: mode, A: a, B: b}) }
	var pool []string
	for _, r := range readTable(t, "testdata/compare.tsv") {
		add("parse", r[0], r[1])
		pool = append(pool, r[0], r[1])
	}
	for _, r := range readTable(t, "testdata/parse.tsv") {
		pool = append(pool, r[0])
	}
	pool = append(pool, fuzzSeeds...)
	// Fuzz corpus seeds.
	dirs, _ := filepath.Glob("testdata/fuzz/*/*")
	for _, p := range dirs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var vals []string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "string(") && strings.HasSuffix(line, ")") {
				if s, err := strconv.Unquote(line[len("string(") : len(line)-1]); err == nil {
					vals = append(vals, s)
				}
			}
		}
		if len(vals) == 2 {
			add("parse", vals[0], vals[1])
		}
		pool = append(pool, vals...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		add("parse", pool[r.IntN(len(pool))], pool[r.IntN(len(pool))])
	}
	// Dev-set spellings as single parts, and as full names put together.
	var sur, giv []string
	for _, g := range loadDevSet(t) {
		switch g.typ {
		case "surname":
			sur = append(sur, g.spellings...)
			for i := 0; i+1 < len(g.spellings); i++ {
				add("sur", g.spellings[i], g.spellings[i+1])
			}
		case "given":
			giv = append(giv, g.spellings...)
			for i := 0; i+1 < len(g.spellings); i++ {
				add("giv", g.spellings[i], g.spellings[i+1])
			}
		}
		pool = append(pool, g.attestedFull...)
	}
	if len(sur) == 0 || len(giv) == 0 {
		t.Fatal("dev set needed to write the golden file")
	}
	for range 500 {
		add("sur", sur[r.IntN(len(sur))], sur[r.IntN(len(sur))])
		add("giv", giv[r.IntN(len(giv))], giv[r.IntN(len(giv))])
	}
	pick := func(xs []string) string {
		if r.IntN(6) == 0 {
			return ""
		}
		return xs[r.IntN(len(xs))]
	}
	for range 600 {
		a := pick(sur) + "|" + pick(giv) + "|" + pick(giv)
		b := pick(sur) + "|" + pick(giv) + "|" + pick(giv)
		add("parts", a, b)
		// Full names printed in either order, for Parse.
		as := strings.Split(a, "|")
		bs := strings.Split(b, "|")
		add("parse", strings.Join([]string{as[1], as[2], as[0]}, " "), strings.Join([]string{bs[0], bs[1], bs[2]}, " "))
	}
	for range 300 {
		add("parse", pool[r.IntN(len(pool))], pool[r.IntN(len(pool))])
	}
	return cs
}

func TestCompareGolden(t *testing.T) {
	if *updateGolden {
		cs := goldenInputs(t)
		var buf bytes.Buffer
		for i := range cs {
			x, y := cs[i].names()
			cs[i].C = Compare(x, y)
			b, err := json.Marshal(cs[i])
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d cases", len(cs))
		return
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	n, bad := 0, 0
	shared, comparer := NewPreparer(), NewComparer()
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var g goldenCase
		if err := json.Unmarshal(line, &g); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(g)
		x, y := g.names()
		g.C = Compare(x.Prepared(), y.Prepared())
		got, _ := json.Marshal(g)
		// The same without the parts Prepared computes.
		x.prep, y.prep = nil, nil
		g.C = Compare(x, y)
		if again, _ := json.Marshal(g); !bytes.Equal(again, got) {
			t.Errorf("unprepared names compare otherwise:\n got  %s\n prepared %s", again, got)
		}
		// The same with parts shared through one Preparer for all cases.
		g.C = Compare(shared.Prepare(x), shared.Prepare(y))
		if again, _ := json.Marshal(g); !bytes.Equal(again, got) {
			t.Errorf("names prepared by a shared Preparer compare otherwise:\n got  %s\n prepared %s", again, got)
		}
		// CompareQuick agrees on everything but the rules, and so does a
		// Comparer (with its memory) on names of one Preparer.
		full := Compare(x, y)
		quick := CompareQuick(x.Prepared(), y.Prepared())
		sx, sy := shared.Prepare(x), shared.Prepare(y)
		if remembered := comparer.CompareQuick(&sx, &sy); !bytes.Equal(mustMarshal(remembered), mustMarshal(quick)) {
			t.Errorf("Comparer.CompareQuick(%q, %q) differs from CompareQuick:\n comparer %s\n quick    %s", g.A, g.B, mustMarshal(remembered), mustMarshal(quick))
		}
		full.Rules, full.Surname.Rules, full.Given.Rules, full.Patronymic.Rules = nil, nil, nil, nil
		if fj, _ := json.Marshal(full); !bytes.Equal(fj, mustMarshal(quick)) {
			t.Errorf("CompareQuick(%q, %q) differs from Compare:\n quick %s\n full  %s", g.A, g.B, mustMarshal(quick), fj)
		}
		n++
		if !bytes.Equal(got, want) {
			bad++
			if bad <= 10 {
				t.Errorf("changed result:\n got  %s\n want %s", got, want)
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d golden cases", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d golden comparisons changed", bad, n)
	}
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// A Comparer remembers part comparisons: asked again, in either order and
// among many names sharing parts, it answers what CompareQuick answers.
func TestComparerRemembers(t *testing.T) {
	pr, c := NewPreparer(), NewComparer()
	var ns []Name
	for _, g := range goldenInputs(t) {
		x, y := g.names()
		ns = append(ns, pr.Prepare(x), pr.Prepare(y))
	}
	for round := range 2 {
		for i := range ns {
			for k := 1; k <= 4 && i+k < len(ns); k++ {
				for _, p := range [2][2]*Name{{&ns[i], &ns[i+k]}, {&ns[i+k], &ns[i]}} {
					got, want := c.CompareQuick(p[0], p[1]), CompareQuick(*p[0], *p[1])
					if !bytes.Equal(mustMarshal(got), mustMarshal(want)) {
						t.Fatalf("round %d: Comparer(%q, %q) = %s, want %s", round, p[0].Raw, p[1].Raw, mustMarshal(got), mustMarshal(want))
					}
				}
			}
		}
	}
}
