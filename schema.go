// Package schema embeds schema.sql, Roster's whole current database
// schema, so that internal/store can apply it to a new database.
package schema

import _ "embed"

// SQL is the text of schema.sql.
//
//go:embed schema.sql
var SQL string

// Version is the schema version schema.sql describes; the store records it
// in PRAGMA user_version and migrates older files up to it.
const Version = 6
