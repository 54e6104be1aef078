package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rosterRun runs the command line in-process on db and returns its
// stdout, stderr and exit status.
func rosterRun(t *testing.T, db string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Setenv("ROSTER_NOW", "2026-01-15T10:00:00Z")
	t.Setenv("USER", "tester")
	code := Run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// mustRoster is rosterRun that fails the test on a non-zero status.
func mustRoster(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errs, code := rosterRun(t, db, args...)
	if code != 0 {
		t.Fatalf("roster %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// privateLists writes three made-up lists with private columns (Phone,
// Lawyer, Notes) and a person whose family asked not to be named:
// "Sirrli Xəyyam Tofiq oğlu" (pen name "Xəyyam Azad"), record 7 of every
// list, written in Russian in list b and under the pen name in list c.
func privateLists(t *testing.T, dir string) (files map[string]string, secrets []string) {
	t.Helper()
	surnames := []string{"Əliyev", "Həsənov", "Quliyev", "Rzayev", "Kərimov", "Nəbiyev", "Babayev", "Cəfərov", "Orucov", "Səfərov"}
	givens := []string{"Tural", "Elvin", "Rəşad", "Murad", "Samir", "Orxan", "Kamran", "Vüqar", "Elnur", "Fuad"}
	fathers := []string{"Akif", "Vaqif", "Rafiq", "Tofiq", "Arif", "Nazim", "Zakir", "Yaşar", "Elçin", "Məmməd"}
	groups := []string{"Jurnalistlər", "Müxalifət fəalları", "Dindarlar"}
	in := map[string]func(i int) bool{
		"a": func(i int) bool { return i < 25 },
		"b": func(i int) bool { return i >= 5 || i == 3 },
		"c": func(i int) bool { return i%3 != 1 || i == 7 },
	}
	files = map[string]string{}
	for _, src := range []string{"a", "b", "c"} {
		var b strings.Builder
		b.WriteString("№,\"Soyadı, adı, atasının adı\",Təxəllüsü,Doğum ili,Kateqoriya,Phone,Lawyer,Qeyd\n")
		for i := 0; i < 30; i++ {
			if !in[src](i) {
				continue
			}
			name := fmt.Sprintf("%s %s %s oğlu", surnames[i%10], givens[(i+i/10*3)%10], fathers[(i*7+1)%10])
			alias := ""
			if i == 7 {
				switch src {
				case "a":
					name, alias = "Sirrli Xəyyam Tofiq oğlu", "Xəyyam Azad"
				case "b":
					name = "Сиррли Хайям Тофик оглы"
				case "c":
					name = "Xəyyam Azad"
				}
			}
			phone := fmt.Sprintf("+994 50 7%02d %s 4%d", i, src, i%10)
			lawyer := fmt.Sprintf("Vəkil %s-%02d Mirzəyev", strings.ToUpper(src), i)
			notes := fmt.Sprintf("insulin daily in cell %s%02d", src, i)
			fmt.Fprintf(&b, "%d,%s,%s,%d,%s,%s,%s,%s\n", i+1, name, alias, 1970+i, groups[i%3], phone, lawyer, notes)
			secrets = append(secrets, phone, lawyer, notes)
		}
		path := filepath.Join(dir, src+"-2025-06-01.csv")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files[src] = path
	}
	secrets = append(secrets, "Sirrli", "Сиррли", "Xəyyam", "Хайям", "Khayyam", "Azad")
	return files, secrets
}

// crosswalkPerson returns the person ID of a record, from the internal crosswalk.
func crosswalkPerson(t *testing.T, db, source, ref string) string {
	t.Helper()
	var rows []struct {
		PersonID  string `json:"person_id"`
		Source    string `json:"source"`
		RecordRef string `json:"record_ref"`
	}
	if err := json.Unmarshal([]byte(mustRoster(t, db, "export", "crosswalk", "--format", "json", "--audience", "internal")), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Source == source && r.RecordRef == ref {
			return r.PersonID
		}
	}
	t.Fatalf("no record %s:%s", source, ref)
	return ""
}

// exportAll writes every export in every format for an audience into dir
// and returns the files' text (XLSX files unzipped).
func exportAll(t *testing.T, db, dir, aud string) map[string]string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{"registry", "crosswalk"} {
		for _, f := range []string{"csv", "json", "xlsx"} {
			mustRoster(t, db, "export", what, "--audience", aud, "--manifest", "-o", filepath.Join(dir, what+"."+f))
		}
	}
	for _, f := range []string{"csv", "json", "xlsx", "table"} {
		mustRoster(t, db, "export", "tallies", "--audience", aud, "--manifest", "--format", f, "-o", filepath.Join(dir, "tallies-"+f+".txt"))
	}
	for _, args := range [][]string{{}, {"--json"}, {"--by", "group", "--json"}} {
		out := mustRoster(t, db, append([]string{"estimate", "--audience", aud, "--link-resamples", "20"}, args...)...)
		name := "estimate" + strings.Join(args, "") + ".txt"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"az", "ru", "en"} {
		mustRoster(t, db, "report", "--lang", lang, "--audience", aud, "--manifest", "-o", filepath.Join(dir, "report-"+lang))
	}
	texts := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
			var all strings.Builder
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				x, _ := io.ReadAll(rc)
				rc.Close()
				all.Write(x)
			}
			b = []byte(all.String())
		}
		texts[path] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 20 { // 16 exports and 4 manifests
		t.Fatalf("only %d exports written", len(texts))
	}
	return texts
}

// TestNoPrivateValueInPublicExports marks columns private at import and
// later, and a person private (then merged with another record by an
// analyst), writes every export in every format for every audience, and
// greps them: the public ones hold no private value and name no private
// person, the coalition ones hold no private field, the internal ones
// hold everything (so the grep can fail).
func TestNoPrivateValueInPublicExports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	files, secrets := privateLists(t, dir)
	mustRoster(t, db, "import", files["a"], "--source", "a", "--private-column", "Phone,Lawyer,notes")
	mustRoster(t, db, "import", files["b"], "--source", "b", "--private-column", "phone")
	mustRoster(t, db, "import", files["c"], "--source", "c")
	// Marked later: b's lawyers and notes (by the list's header, which the
	// importer reads as notes), notes in every source, c's phones and lawyers.
	mustRoster(t, db, "privacy", "mark", "--column", "Lawyer", "--source", "b", "--reason", "lawyers asked")
	mustRoster(t, db, "privacy", "mark", "--column", "Qeyd", "--source", "b", "--reason", "health data")
	mustRoster(t, db, "privacy", "mark", "--column", "notes", "--reason", "health data")
	mustRoster(t, db, "privacy", "mark", "--column", "Phone", "--source", "c", "--reason", "contact data")
	mustRoster(t, db, "privacy", "mark", "--column", "Lawyer", "--source", "c", "--reason", "contact data")
	if _, errs, code := rosterRun(t, db, "import", files["c"], "--source", "x", "--private-column", "Phnoe"); code != 2 ||
		!strings.Contains(errs, `no such column`) {
		t.Fatalf("a misspelt private column: exit %d, %s", code, errs)
	}

	// The pen-name record c:8 is kept apart first, then joined: two
	// persons merge.
	mustRoster(t, db, "decide", "a:8", "b:8", "same", "--reason", "same person, Russian spelling")
	mustRoster(t, db, "decide", "a:8", "c:8", "different", "--reason", "not sure yet")
	mustRoster(t, db, "match")
	pa, pc := crosswalkPerson(t, db, "a", "8"), crosswalkPerson(t, db, "c", "8")
	if pa == pc {
		t.Fatalf("the pen-name record c:8 is already %s; the test wants it apart", pa)
	}
	// Mark the younger ID: the merge below redirects it to the older.
	marked, survivor := max(pa, pc), min(pa, pc)
	mustRoster(t, db, "privacy", "mark", marked, "--reason", "the family asked", "--asked-by", "his sister")
	mustRoster(t, db, "decide", "a:8", "c:8", "same", "--reason", "pen name of the same person")
	mustRoster(t, db, "match")
	if got := crosswalkPerson(t, db, "c", "8"); got != survivor || crosswalkPerson(t, db, "a", "8") != survivor {
		t.Fatalf("after the merge a:8 and c:8 are in %s and %s; want both in %s", crosswalkPerson(t, db, "a", "8"), got, survivor)
	}
	var list struct {
		Persons []privatePersonJSON `json:"persons"`
	}
	if err := json.Unmarshal([]byte(mustRoster(t, db, "privacy", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Persons) != 1 || list.Persons[0].ID != survivor || list.Persons[0].Via != "merged" || list.Persons[0].MarkedID != marked {
		t.Fatalf("privacy list after the merge = %+v; want %s via merged from %s", list.Persons, survivor, marked)
	}
	fields := secrets[:len(secrets)-6] // phones, lawyers, notes
	secrets = append(secrets, survivor)

	t.Logf("%d private values, %d of them private fields", len(secrets), len(fields))
	public := exportAll(t, db, filepath.Join(dir, "public"), "public")
	for path, text := range public {
		for _, v := range secrets {
			if strings.Contains(text, v) {
				t.Errorf("public export %s holds the private value %q", filepath.Base(path), v)
			}
		}
	}
	coalition := exportAll(t, db, filepath.Join(dir, "coalition"), "coalition")
	for path, text := range coalition {
		for _, v := range fields {
			if strings.Contains(text, v) {
				t.Errorf("coalition export %s holds the private field value %q", filepath.Base(path), v)
			}
		}
	}
	internal := exportAll(t, db, filepath.Join(dir, "internal"), "internal")
	var all strings.Builder
	for _, text := range internal {
		all.WriteString(text)
	}
	for _, v := range secrets {
		if !strings.Contains(all.String(), v) {
			t.Errorf("no internal export holds %q: the grep above proves nothing for it", v)
		}
	}
	if !strings.Contains(coalition[filepath.Join(dir, "coalition", "registry.csv")], survivor) {
		t.Errorf("the coalition registry does not name the private person %s", survivor)
	}

	// A public tally counts the withheld person, and says so.
	pubTally := public[filepath.Join(dir, "public", "tallies-csv.txt")]
	coTally := coalition[filepath.Join(dir, "coalition", "tallies-csv.txt")]
	totalOf := func(csv string) string {
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, "total,") {
				return line
			}
		}
		return ""
	}
	pubTotal, coTotal := totalOf(pubTally), totalOf(coTally)
	if pubTotal == "" || !strings.HasSuffix(pubTotal, ",1") || strings.TrimSuffix(pubTotal, ",1") != strings.TrimSuffix(coTotal, ",0") {
		t.Errorf("public tally total %q; want the coalition's counts %q with withheld 1", pubTotal, coTotal)
	}
	if !strings.Contains(public[filepath.Join(dir, "public", "report-en", "index.html")], "1 more person is counted in every total above but not named here") {
		t.Error("the public report does not say that a person is withheld")
	}
	var est struct {
		Observed int `json:"observed"`
		Withheld int `json:"withheld"`
	}
	if err := json.Unmarshal([]byte(public[filepath.Join(dir, "public", "estimate--json.txt")]), &est); err != nil {
		t.Fatal(err)
	}
	var coEst struct {
		Observed int `json:"observed"`
	}
	_ = json.Unmarshal([]byte(coalition[filepath.Join(dir, "coalition", "estimate--json.txt")]), &coEst)
	if est.Withheld != 1 || est.Observed != coEst.Observed || est.Observed < 25 {
		t.Errorf("public estimate: observed %d, withheld %d; want the coalition's %d, withheld 1", est.Observed, est.Withheld, coEst.Observed)
	}

	// Unmarked, the person is named again, and the unmark is in the audit log.
	mustRoster(t, db, "privacy", "unmark", survivor, "--reason", "the family agreed")
	if out := mustRoster(t, db, "export", "registry", "--audience", "public"); !strings.Contains(out, survivor) {
		t.Errorf("after the unmark the public registry does not name %s", survivor)
	}
	if out := mustRoster(t, db, "decisions"); !strings.Contains(out, "privacy-unmark") || !strings.Contains(out, "person:"+marked) {
		t.Errorf("the audit log lacks the privacy actions:\n%s", out)
	}
}
