package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/importer"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type importOptions struct {
	*globalOptions
	Files    []string
	Source   string
	Edition  string
	Title    string
	Format   string
	Sheet    string
	Maps     []string
	Limits   []string
	Taxonomy string
	Replace  bool
	Strict   bool
	DryRun   bool
	JSON     bool
	// Private are the columns to mark private for the source
	// (--private-column): fields or headers of the files.
	Private []string
	Scope   string
	By      string
}

func newImportCmd(g *globalOptions) *cobra.Command {
	opts := &importOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "import FILE... --source SLUG",
		Short: "Import one edition of a source's list from one or more files",
		Long: `Import reads CSV/TSV (UTF-8, UTF-8 with BOM, UTF-16, Windows-1251), XLSX,
JSON (an array of objects), DOCX, PDF (with a text layer), HTML and plain
text lists, recognises their headers in Azerbaijani, Russian and English,
maps group labels to the registry's groups and stores every record with the
raw row as read. The import lands whole or not at all.

Structural faults stop the import with FILE:ROW: column "X": what was
expected, and the database is left as it was. Values that do not parse
(a year "19x5") are kept raw with a warning; --strict makes them errors.
Two columns that read as one field ("Birth year" twice) are an error
unless --map says which to use.

Limits (--limit KEY=VALUE changes one): file 256MB, unzipped 512MB (XLSX,
DOCX parts, checked before inflating), rows 2000000, columns 1000, row 1MB,
cell 64KB, name 4KB (a name, surname, given name or patronymic cell),
json-depth 32. A file over a limit is refused naming the file, row and
column; nothing is stored.

The edition defaults to a date in the file name (ipm-2025-06.csv gives
2025-06-01), else today. Importing a file that is already in the source, or
into an edition that exists, is refused; --replace replaces the edition.

--scope declares what the edition covers (as roster sources set-scope
does; only admins): "all", or restrictions joined by ";", such as
"groups=journalist,rights-defender;from=2023-01-01". Group labels an
analyst mapped from the review queue (map:GROUP) are read for the source.
Once the database has accounts, --by must name an analyst or an admin.
` + exitHelp,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runImport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Source, "source", "", "source `SLUG` (the organisation), required")
	f.StringVar(&opts.Edition, "edition", "", "edition date `YYYY-MM-DD`")
	f.StringVar(&opts.Title, "title", "", "title of this edition")
	f.StringVar(&opts.Format, "format", "", "csv|tsv|xlsx|json|docx|pdf|html|txt (default: by extension, then sniffed)")
	f.StringVar(&opts.Sheet, "sheet", "", "XLSX sheet (default: the first)")
	f.StringArrayVar(&opts.Maps, "map", nil, "`field=Header`: read field from that column (fields: "+fieldNames()+")")
	f.StringArrayVar(&opts.Limits, "limit", nil, "`KEY=VALUE`: raise or lower a limit ("+strings.Join(importer.LimitKeys, ", ")+"; sizes in KB, MB, GB)")
	f.StringVar(&opts.Taxonomy, "taxonomy", "", "extra group labels, a TSV `FILE` of key<TAB>label")
	f.BoolVar(&opts.Replace, "replace", false, "replace the edition if it exists")
	f.BoolVar(&opts.Strict, "strict", false, "treat warnings (unparsed values) as errors")
	f.BoolVar(&opts.DryRun, "dry-run", false, "show what would be imported; write nothing")
	f.BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	f.StringSliceVar(&opts.Private, "private-column", nil, "mark these `COLUMNS` private for the source (headers of the file, or fields such as notes): see roster privacy")
	f.StringVar(&opts.Scope, "scope", "", "what the edition covers: all, or groups=G,G;cases=C|C;from=DATE;to=DATE;country=C")
	addByFlag(cmd, &opts.By, "who imports")
	_ = cmd.MarkFlagRequired("source")
	return cmd
}

func fieldNames() string {
	var s []string
	for _, f := range roster.Fields {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

func runImport(ctx context.Context, opts *importOptions) error {
	if !slugRE.MatchString(opts.Source) {
		return usagef("--source %q: want a short lowercase slug (letters, digits, - and _)", opts.Source)
	}
	maps := map[roster.Field]string{}
	for _, m := range opts.Maps {
		k, v, ok := strings.Cut(m, "=")
		f := roster.Field(strings.TrimSpace(strings.ToLower(k)))
		if !ok || !validField(f) || strings.TrimSpace(v) == "" {
			return usagef("--map %q: want field=Header with field one of %s", m, fieldNames())
		}
		maps[f] = strings.TrimSpace(v)
	}
	edition := opts.Edition
	if edition != "" {
		if _, err := time.Parse("2006-01-02", edition); err != nil {
			return usagef("--edition %q: want a date YYYY-MM-DD", edition)
		}
	} else {
		edition = editionFromName(opts.Files[0])
		if edition == "" {
			edition = opts.Now().Format("2006-01-02")
		}
	}
	var scope *store.Scope
	if opts.Scope != "" {
		sc, err := parseScopeSpec(opts.Scope)
		if err != nil {
			return err
		}
		sc.Source, sc.Edition = opts.Source, edition
		if err := sc.Check(); err != nil {
			return usageError{err}
		}
		scope = &sc
	}
	var s *store.Store
	if !opts.DryRun {
		var err error
		if s, err = opts.createStore(ctx); err != nil {
			return err
		}
		defer s.Close()
		need := store.RoleAnalyst
		if scope != nil {
			need = store.RoleAdmin
		}
		if err := s.Authorize(ctx, opts.By, need, "import lists"+map[bool]string{true: " with a scope"}[scope != nil]); err != nil {
			return err
		}
	}
	iopts := importer.Options{Format: opts.Format, Sheet: opts.Sheet, Map: maps, Strict: opts.Strict}
	for _, l := range opts.Limits {
		if err := iopts.Limits.Set(l); err != nil {
			return usagef("--limit: %v", err)
		}
	}
	if opts.Taxonomy != "" {
		f, err := os.Open(opts.Taxonomy)
		if err != nil {
			return fmt.Errorf("taxonomy: %w", err)
		}
		tax, err := importer.LoadTaxonomy(f, importer.DefaultTaxonomy())
		f.Close()
		if err != nil {
			return fmt.Errorf("taxonomy %s: %w", opts.Taxonomy, err)
		}
		iopts.Taxonomy = tax
	}
	if s != nil {
		// Labels analysts mapped from the queue, for this source.
		mapped, err := s.GroupLabels(ctx, opts.Source)
		if err != nil {
			return err
		}
		if len(mapped) > 0 {
			var b strings.Builder
			for label, grp := range mapped {
				fmt.Fprintf(&b, "%s\t%s\n", grp, strings.Join(strings.Fields(label), " "))
			}
			tax, err := importer.LoadTaxonomy(strings.NewReader(b.String()), iopts.Taxonomy)
			if err != nil {
				return fmt.Errorf("mapped group labels: %w", err)
			}
			iopts.Taxonomy = tax
		}
	}

	req := store.ImportRequest{Source: opts.Source, Edition: edition, Title: opts.Title, Replace: opts.Replace}
	var results []*importer.Result
	for _, path := range opts.Files {
		if err := checkFileSize(path, iopts.Limits); err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("import %s: %w", path, err)
		}
		res, err := importer.Read(filepath.Base(path), data, iopts)
		if err != nil {
			return err
		}
		for _, w := range res.Warnings {
			opts.warnf("warning: %s", w.String())
		}
		if !opts.DryRun {
			for _, n := range res.Notes {
				opts.warnf("%s: note: %s", res.File, n)
			}
		}
		for i := range res.Records {
			res.Records[i].Source = opts.Source
			res.Records[i].Edition = edition
		}
		uniqueRefs(opts.globalOptions, res)
		results = append(results, res)
		req.Files = append(req.Files, store.ImportFile{Name: res.File, SHA256: res.SHA256, Format: res.Format, Size: len(data), Records: res.Records})
	}
	if len(req.Files) > 1 {
		disambiguateAcrossFiles(req.Files)
	}
	private, err := privateColumns(opts, results)
	if err != nil {
		return err
	}
	if opts.DryRun {
		if len(private) > 0 {
			opts.warnf("would mark private for %s: %s", opts.Source, strings.Join(private, ", "))
		}
		return printDryRun(opts, edition, results)
	}
	out, err := s.Import(ctx, req)
	if err != nil {
		return err
	}
	if err := markPrivateColumns(ctx, opts, s, private); err != nil {
		return err
	}
	if scope != nil {
		if err := s.SetScope(ctx, opts.By, *scope); err != nil {
			return fmt.Errorf("imported, but the scope was not set: %w", err)
		}
	}
	// Index the new records' names now, so search finds them before the
	// next match (which would otherwise index them at its end).
	if _, err := app.New(s, opts.Now).IndexNames(ctx); err != nil {
		return fmt.Errorf("imported, but indexing the names for search failed (roster match indexes them again): %w", err)
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, map[string]any{"source": opts.Source, "edition": edition, "records": out.Records, "replaced": out.Replaced})
	}
	fmt.Fprintf(opts.Stdout, "imported %d records into %s@%s", out.Records, opts.Source, edition)
	if out.Replaced > 0 {
		fmt.Fprintf(opts.Stdout, " (replacing %d)", out.Replaced)
	}
	fmt.Fprintln(opts.Stdout)
	return nil
}

// checkFileSize refuses a file over the size limit before reading it into
// memory.
func checkFileSize(path string, lim importer.Limits) error {
	limit := importer.DefaultLimits().FileBytes
	if lim.FileBytes > 0 {
		limit = lim.FileBytes
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return &importer.Error{File: filepath.Base(path), Msg: fmt.Sprintf("the file is %s, over the limit of %s (--limit file=SIZE raises it)",
			importer.FormatSize(fi.Size()), importer.FormatSize(limit))}
	}
	return nil
}

func validField(f roster.Field) bool {
	for _, x := range roster.Fields {
		if x == f {
			return true
		}
	}
	return false
}

var nameDateRE = regexp.MustCompile(`(19|20)\d\d[-_.](0[1-9]|1[0-2])([-_.](0[1-9]|[12]\d|3[01]))?`)

// editionFromName finds a date (YYYY-MM-DD or YYYY-MM) in a file name.
func editionFromName(path string) string {
	m := nameDateRE.FindString(filepath.Base(path))
	if m == "" {
		return ""
	}
	m = strings.NewReplacer("_", "-", ".", "-").Replace(m)
	if len(m) == 7 {
		m += "-01"
	}
	if _, err := time.Parse("2006-01-02", m); err != nil {
		return ""
	}
	return m
}

// uniqueRefs makes each record's reference unique within a file: when the
// list's own numbers repeat (documents that number each group from 1), the
// references fall back to the row number, with a note.
func uniqueRefs(g *globalOptions, res *importer.Result) {
	seen := map[string]bool{}
	dup := false
	for _, r := range res.Records {
		if r.Ref == "" || seen[r.Ref] {
			dup = true
			break
		}
		seen[r.Ref] = true
	}
	if !dup {
		return
	}
	g.warnf("%s: the list's own numbers repeat; records are referenced by their entry number instead", res.File)
	for i := range res.Records {
		res.Records[i].Ref = fmt.Sprint(res.Records[i].Row)
	}
}

// disambiguateAcrossFiles prefixes references with the file name when two
// files of one edition use the same references.
func disambiguateAcrossFiles(files []store.ImportFile) {
	seen := map[string]bool{}
	clash := false
	for _, f := range files {
		for _, r := range f.Records {
			if seen[r.Ref] {
				clash = true
			}
			seen[r.Ref] = true
		}
	}
	if !clash {
		return
	}
	for i := range files {
		stem := strings.TrimSuffix(files[i].Name, filepath.Ext(files[i].Name))
		for j := range files[i].Records {
			files[i].Records[j].Ref = stem + "/" + files[i].Records[j].Ref
		}
	}
}

func printDryRun(opts *importOptions, edition string, results []*importer.Result) error {
	if opts.JSON {
		var out []map[string]any
		for _, r := range results {
			out = append(out, map[string]any{"file": r.File, "sha256": r.SHA256, "format": r.Format, "records": len(r.Records),
				"groups": r.Groups, "unmapped": r.Unmapped, "headers": r.Headers, "notes": r.Notes, "warnings": warningStrings(r.Warnings),
				"first": firstN(r.Records, 5)})
		}
		return writeJSON(opts.Stdout, map[string]any{"dry_run": true, "source": opts.Source, "edition": edition, "files": out})
	}
	w := opts.Stdout
	fmt.Fprintf(w, "dry run: nothing written; would import into %s@%s\n", opts.Source, edition)
	for _, r := range results {
		fmt.Fprintf(w, "\n%s (%s, sha256 %s…): %d records\n", r.File, r.Format, r.SHA256[:12], len(r.Records))
		if len(r.Headers) > 0 {
			var hs []string
			for f, h := range r.Headers {
				hs = append(hs, fmt.Sprintf("%s←%q", f, h))
			}
			sort.Strings(hs)
			fmt.Fprintf(w, "  columns: %s\n", strings.Join(hs, ", "))
		}
		fmt.Fprintln(w, "  groups:")
		keys := make([]string, 0, len(r.Groups))
		for k := range r.Groups {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			name := k
			if k == "" {
				name = "(unmapped)"
			}
			fmt.Fprintf(w, "    %-18s %d\n", name, r.Groups[k])
		}
		for _, u := range r.Unmapped {
			fmt.Fprintf(w, "  unknown group label: %q (kept raw; becomes a review item)\n", u)
		}
		fmt.Fprintln(w, "  first entries:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "    ref\tname\tbirth\tgroup\tcase\tarrest\twhere")
		for _, x := range firstN(r.Records, 5) {
			birth := ""
			if x.BirthYear > 0 {
				birth = fmt.Sprint(x.BirthYear)
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Ref, x.Name, birth, orRaw(x.Group, x.GroupRaw), x.Case, x.ArrestDate, x.Location)
		}
		tw.Flush()
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		for _, wa := range r.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", wa.String())
		}
	}
	return nil
}

func orRaw(key, raw string) string {
	if key != "" {
		return key
	}
	if raw != "" {
		return "?" + raw
	}
	return ""
}

func firstN(rs []roster.Record, n int) []roster.Record {
	if len(rs) < n {
		return rs
	}
	return rs[:n]
}

func warningStrings(ws []importer.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
