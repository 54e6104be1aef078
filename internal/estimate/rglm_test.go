package estimate

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rTables are the tables compared with R: the benchmark's five lists (one
// empty cell), three lists with every cell filled, and four sparse lists
// where some models have no estimate.
var rTables = []struct {
	name   string
	lists  []string
	counts map[string]int
}{
	{"fixtures/bench", benchLists, benchOverlap},
	{"three lists", []string{"a", "b", "c"}, map[string]int{"a": 130, "b": 96, "c": 71, "a+b": 42, "a+c": 30, "b+c": 19, "a+b+c": 11}},
	{"four sparse lists (c and d share nobody)", []string{"a", "b", "c", "d"}, map[string]int{"a": 20, "b": 14, "c": 9, "d": 6,
		"a+b": 5, "a+c": 3, "b+c": 2, "a+d": 1, "a+b+c": 2, "a+b+d": 1}},
}

// TestAgainstR fits every model whose estimate exists with R's
// glm(family = poisson) on the same table and compares the unseen count,
// the deviance, AIC and BIC to 1e-6, and the models chosen by AIC, BIC
// and the stepwise rule. The models left out because their estimate does
// not exist must make glm run a coefficient off (beyond ±10) or fail to
// converge. It needs Rscript (apt-get install r-base-core):
// skipped without it, except in CI, where .ci/run installs R.
func TestAgainstR(t *testing.T) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Rscript in $PATH; CI must run the comparison with R (apt-get install r-base-core)")
		}
		t.Skip("no Rscript in $PATH (apt-get install r-base-core): the comparison with R's glm is skipped")
	}
	script, err := filepath.Abs("testdata/glm.R")
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	for _, tc := range rTables {
		tb := table(t, tc.lists, tc.counts)
		fits, leftOut := search(tb, ByAIC, false)
		dir := t.TempDir()
		var data, models bytes.Buffer
		for i := range tb.Lists {
			fmt.Fprintf(&data, "c%d,", i+1)
		}
		data.WriteString("y\n")
		for h := 1; h < len(tb.Counts); h++ {
			for i := range tb.Lists {
				b := 0
				if Pattern(h).Has(i) {
					b = 1
				}
				fmt.Fprintf(&data, "%d,", b)
			}
			fmt.Fprintf(&data, "%d\n", tb.Counts[h])
		}
		formula := func(m Model) string {
			terms := []string{}
			for i := range tb.Lists {
				terms = append(terms, fmt.Sprintf("c%d", i+1))
			}
			for _, x := range m.Interactions {
				terms = append(terms, fmt.Sprintf("c%d:c%d", x.I+1, x.J+1))
			}
			return strings.Join(terms, "+") + "\n"
		}
		for _, f := range fits {
			models.WriteString(formula(f.Model))
		}
		var left bytes.Buffer
		for _, m := range allModels(tb.K()) {
			if !mleExists(tb, m) {
				left.WriteString(formula(m))
			}
		}
		dataPath, modelsPath, leftPath := filepath.Join(dir, "data.csv"), filepath.Join(dir, "models.txt"), filepath.Join(dir, "leftout.txt")
		for path, b := range map[string][]byte{dataPath: data.Bytes(), modelsPath: models.Bytes(), leftPath: left.Bytes()} {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := exec.Command(rscript, "--vanilla", script, dataPath, modelsPath, leftPath, "0.05").CombinedOutput()
		if err != nil {
			t.Fatalf("%s: Rscript: %v\n%s", tc.name, err, out)
		}
		var maxUnseen, maxDev, maxAIC, maxBIC float64
		rBestAIC, rBestBIC, rStep := -1, -1, -1
		var rAIC, rBIC []float64
		seen, rLeft := 0, 0
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			var i int
			var unseen, dev, aic, bic float64
			var conv string
			if n, _ := fmt.Sscanf(sc.Text(), "model %d %g %g %g %g %s", &i, &unseen, &dev, &aic, &bic, &conv); n == 6 {
				f := fits[i-1]
				if conv != "TRUE" {
					t.Errorf("%s: R's glm did not converge on %s", tc.name, f.Model.Name(tb.Lists))
				}
				maxUnseen = math.Max(maxUnseen, math.Abs(f.Unseen-unseen)/unseen)
				maxDev = math.Max(maxDev, math.Abs(f.Deviance-dev))
				maxAIC = math.Max(maxAIC, math.Abs(f.AIC-aic))
				maxBIC = math.Max(maxBIC, math.Abs(f.BIC-bic))
				rAIC, rBIC = append(rAIC, aic), append(rBIC, bic)
				seen++
				continue
			}
			var maxCoef float64
			if n, _ := fmt.Sscanf(sc.Text(), "leftout %d %g %s", &i, &maxCoef, &conv); n == 3 {
				if conv == "TRUE" && maxCoef < 10 {
					t.Errorf("%s: left-out model %d: R's glm converged with coefficients within ±%.1f", tc.name, i, maxCoef)
				}
				rLeft++
				continue
			}
			if n, _ := fmt.Sscanf(sc.Text(), "stepwise %d", &i); n == 1 {
				rStep = i - 1
			}
		}
		if seen != len(fits) || rLeft != leftOut {
			t.Fatalf("%s: R fitted %d of %d models:\n%s", tc.name, seen, len(fits), out)
		}
		for i := range rAIC {
			if rBestAIC < 0 || rAIC[i] < rAIC[rBestAIC] {
				rBestAIC = i
			}
			if rBestBIC < 0 || rBIC[i] < rBIC[rBestBIC] {
				rBestBIC = i
			}
		}
		t.Logf("%s: %d models compared with R (%d without an estimate: glm diverges on each): largest differences: unseen %.1e (relative), deviance %.1e, AIC %.1e, BIC %.1e",
			tc.name, seen, leftOut, maxUnseen, maxDev, maxAIC, maxBIC)
		if maxUnseen > tol || maxDev > tol || maxAIC > tol || maxBIC > tol {
			t.Errorf("%s: Go and R differ by more than %g", tc.name, tol)
		}
		if b := best(fits, ByAIC); b != rBestAIC {
			t.Errorf("%s: best by AIC: Go %s, R %s", tc.name, fits[b].Model.Name(tb.Lists), fits[rBestAIC].Model.Name(tb.Lists))
		}
		if b := best(fits, ByBIC); b != rBestBIC {
			t.Errorf("%s: best by BIC: Go %s, R %s", tc.name, fits[b].Model.Name(tb.Lists), fits[rBestBIC].Model.Name(tb.Lists))
		}
		step, ok := stepwise(tb, 0.05)
		if !ok || rStep < 0 || !sameModel(step.Model, fits[rStep].Model) {
			t.Errorf("%s: stepwise rule: Go %s, R model %d", tc.name, step.Model.Name(tb.Lists), rStep+1)
		}
	}
}
