package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// withoutIndexes runs a write of most of a table's rows with the table's
// secondary indexes dropped, then builds them again, in the same
// transaction: SQLite builds an index from a whole table (sorting once)
// faster than it keeps one row by row in random order. The indexes'
// definitions are read from the schema, so an index added later is
// rebuilt too. Unique indexes and the ones SQLite keeps for a key or a
// constraint stay: the write may need them.
func withoutIndexes(ctx context.Context, tx *sql.Tx, tables []string, write func() error) error {
	type index struct{ name, sql string }
	q := `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
		AND upper(sql) NOT LIKE 'CREATE UNIQUE %' AND tbl_name IN (?` + strings.Repeat(`, ?`, len(tables)-1) + `) ORDER BY name`
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read the indexes of %s: %w", strings.Join(tables, ", "), err)
	}
	var indexes []index
	for rows.Next() {
		var ix index
		if err := rows.Scan(&ix.name, &ix.sql); err != nil {
			rows.Close()
			return err
		}
		indexes = append(indexes, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+ix.name+`"`); err != nil {
			return fmt.Errorf("drop index %s: %w", ix.name, err)
		}
	}
	if err := write(); err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, ix.sql); err != nil {
			return fmt.Errorf("build index %s: %w", ix.name, err)
		}
	}
	return nil
}
