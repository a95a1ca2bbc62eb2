#pragma once
// The stores and the migrations are written once, in the SQL SQLite and PostgreSQL share
// (docs/architecture.md, "Store"). What differs is translated here, once per statement, for
// PostgreSQL:
// - placeholders: `?` becomes `$N` (the next number), `?N` becomes `$N`;
// - the column names `user` and `end` (reserved words in PostgreSQL) are quoted;
// - the column types of the DDL: SQLite's INTEGER is 64-bit and REAL is a double, so they
//   become BIGINT and DOUBLE PRECISION, and `INTEGER PRIMARY KEY AUTOINCREMENT` becomes an
//   identity column.
// String literals, quoted identifiers and comments are copied unchanged.

#include <string>

namespace ssr::store {

struct PostgresStatement {
  std::string sql;
  int parameters = 0; // the highest $N
};

PostgresStatement ToPostgres(const std::string& sqlite_sql);

} // namespace ssr::store
