package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/eval"
)

// Accuracy bars of the fixed benchmark (fixtures/bench, made by
// `roster synth --persons 300 --seed 1 -o fixtures/bench`).
const (
	benchMinF1        = 0.985
	benchMinPrecision = 0.99
)

// TestBenchmarkAccuracy imports fixtures/bench, runs the match at its
// default thresholds and fails when pairwise F1 or precision is below the
// bars. It is the honest measure of the matcher: the benchmark is generated,
// never tuned to the matcher.
func TestBenchmarkAccuracy(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "roster.db")
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		code := Run(ctx, append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errb)
		if code != 0 {
			t.Fatalf("roster %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String()
	}
	if !hasCommand("match") {
		t.Skip("no roster match command yet")
	}
	files, err := filepath.Glob("../../fixtures/bench/*-20*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no benchmark lists in fixtures/bench: %v", err)
	}
	for _, f := range files {
		run("import", f, "--source", strings.SplitN(filepath.Base(f), "-", 2)[0])
	}
	run("match")
	var rep struct {
		eval.Report
		NotInDatabase int `json:"not_in_database"`
	}
	if err := json.Unmarshal([]byte(run("eval", "--truth", "../../fixtures/bench/truth.csv", "--json", "--examples", "10")), &rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("records %d (not clustered %d, not in database %d), persons %d true / %d predicted",
		rep.Records, rep.NotClustered, rep.NotInDatabase, rep.TruePersons, rep.PredPersons)
	t.Logf("pairwise P %.4f R %.4f F1 %.4f; B-cubed P %.4f R %.4f F1 %.4f",
		rep.Pairwise.Precision, rep.Pairwise.Recall, rep.Pairwise.F1, rep.BCubed.Precision, rep.BCubed.Recall, rep.BCubed.F1)
	if rep.NotClustered > 0 {
		t.Errorf("%d truth records not clustered (%d not in the database): the import or the match lost records", rep.NotClustered, rep.NotInDatabase)
	}
	if rep.Pairwise.F1 < benchMinF1 || rep.Pairwise.Precision < benchMinPrecision {
		t.Errorf("pairwise F1 %.4f, precision %.4f; want F1 ≥ %.2f and precision ≥ %.2f", rep.Pairwise.F1, rep.Pairwise.Precision, benchMinF1, benchMinPrecision)
		for _, ex := range rep.FalseMerges {
			t.Logf("false merge %s: %s", ex.ID, describeParts(ex.Parts))
		}
		for _, ex := range rep.MissedLinks {
			t.Logf("missed link %s: %s", ex.ID, describeParts(ex.Parts))
		}
	}
}

func describeParts(parts []eval.Part) string {
	var ps []string
	for _, p := range parts {
		var ns []string
		for _, m := range p.Records {
			ns = append(ns, m.Key+" "+m.Name)
		}
		ps = append(ps, p.ID+" {"+strings.Join(ns, "; ")+"}")
	}
	return strings.Join(ps, " | ")
}

func hasCommand(name string) bool {
	g := &globalOptions{Stdout: os.Stdout, Stderr: os.Stderr}
	for _, c := range commands(g) {
		if c.Name() == name {
			return true
		}
	}
	return false
}
