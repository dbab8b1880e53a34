//! The two SQL dialects (SQLite, PostgreSQL) behind one set of queries:
//! numbered placeholders both understand, a query builder that writes them,
//! and the few statements that differ. No other file names a backend.
use std::fmt::Write as _;

use sqlx::any::{Any, AnyArguments};
use sqlx::query::Query;
use sqlx::{Arguments as _, Encode, Type};

/// Which database the store runs on, chosen by `database.url`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// Opens a write transaction. SQLite takes its write lock up front, so two
    /// writers wait for each other instead of failing on a lock upgrade;
    /// PostgreSQL locks rows as they are written.
    pub(super) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// The migrations' folder under `migrations/`.
    pub(super) fn migrations(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite/",
            Backend::Postgres => "postgres/",
        }
    }

    /// How many emails a sender claims at once, with `pool` connections: on
    /// PostgreSQL a few per connection, so the other processes get their
    /// share of a backlog; on SQLite, one sender, large pages.
    pub fn claim_page(self, pool: usize) -> i64 {
        match self {
            Backend::Sqlite => 200,
            Backend::Postgres => pool.max(1) as i64 * 16,
        }
    }

    /// `column` in a WHERE term that must not choose the index: with a list
    /// of 500 ids beside `state = ?`, SQLite's planner walks the state index
    /// (every live request, per batch) instead of looking the ids up; `+`
    /// keeps it on the ids (the sweep's UPDATEs went 3x faster).
    pub(super) fn unindexed(self, column: &str) -> String {
        match self {
            Backend::Sqlite => format!("+{column}"),
            Backend::Postgres => column.to_string(),
        }
    }

    /// What ends a SELECT that claims rows for one process: other processes
    /// skip the rows a claim holds instead of waiting on them. SQLite has one
    /// writer at a time and needs nothing.
    pub(super) fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// The URL to connect with: PostgreSQL's with `database.password_file` (or
/// `SMARTACCT_DATABASE_PASSWORD`) put in, so the password need not sit in the URL.
pub(super) fn url(url: &str, password: Option<&str>, shown: &str) -> super::Result<url::Url> {
    let bad = |problem: String| super::StoreError::Url { url: shown.to_string(), problem };
    let mut parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
    if let Some(p) = password {
        parsed.set_password(Some(p)).map_err(|()| bad("it cannot hold a password".into()))?;
    }
    Ok(parsed)
}

/// Rewrites `?` and `?N` placeholders as `$N`, which both SQLite and
/// PostgreSQL read, so queries are written once. Quoted text is left alone.
pub(super) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 0u32;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    let _ = write!(out, "${next}");
                } else {
                    out.push('$');
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A query written with `?` placeholders, for either backend.
pub(super) fn query(sql: &str) -> Query<'static, Any, AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(numbered(sql)))
}

/// Builds a statement with a variable number of values (`IN (…)`, multi-row
/// `VALUES`). PostgreSQL's placeholders are numbered; SQLite's stay `?`:
/// SQLite looks a numbered one up by a linear scan of the statement's names
/// at every bind, which made a 250-row insert quadratic (a third of the
/// sweep's time).
pub(super) struct Builder {
    backend: Backend,
    sql: String,
    args: AnyArguments,
    count: usize,
}

impl Builder {
    pub fn new(backend: Backend, sql: impl Into<String>) -> Builder {
        Builder { backend, sql: sql.into(), args: AnyArguments::default(), count: 0 }
    }

    pub fn push(&mut self, sql: impl AsRef<str>) -> &mut Builder {
        // Appended, not formatted: a 250-row insert pushes a thousand pieces.
        self.sql.push_str(sql.as_ref());
        self
    }

    pub fn push_bind<'t, T>(&mut self, value: T) -> &mut Builder
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        self.count += 1;
        match self.backend {
            Backend::Sqlite => self.sql.push('?'),
            Backend::Postgres => {
                let _ = write!(self.sql, "${}", self.count);
            }
        }
        // Encoding into `AnyArguments` copies the value and cannot fail.
        let _ = self.args.add(value);
        self
    }

    /// `v1, v2, …` bound.
    pub fn push_list<'t, T, I>(&mut self, values: I) -> &mut Builder
    where
        I: IntoIterator<Item = T>,
        T: Encode<'t, Any> + Type<Any>,
    {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(v);
        }
        self
    }

    /// `VALUES (…), (…)`: `row` binds each item's values through a `Row`.
    pub fn push_values<I, F>(&mut self, items: I, mut row: F) -> &mut Builder
    where
        I: IntoIterator,
        F: FnMut(Row<'_>, I::Item),
    {
        self.push("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            self.push(if i > 0 { ", (" } else { "(" });
            row(Row { builder: self, first: true }, item);
            self.push(")");
        }
        self
    }

    pub fn build(self) -> Query<'static, Any, AnyArguments> {
        sqlx::query_with(sqlx::AssertSqlSafe(self.sql), self.args)
    }
}

/// One row of `push_values`.
pub(super) struct Row<'b> {
    builder: &'b mut Builder,
    first: bool,
}

impl Row<'_> {
    pub fn push_bind<'t, T>(&mut self, value: T) -> &mut Self
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        if !std::mem::take(&mut self.first) {
            self.builder.push(", ");
        }
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_and_numbered_ones_kept() {
        assert_eq!(numbered("SELECT a FROM t WHERE b = ? AND c = ?"), "SELECT a FROM t WHERE b = $1 AND c = $2");
        assert_eq!(numbered("x = ?1 OR y = ?1 AND z = ?2"), "x = $1 OR y = $1 AND z = $2");
    }

    #[test]
    fn a_question_mark_inside_quotes_is_text() {
        assert_eq!(numbered("SELECT '?' || ?"), "SELECT '?' || $1");
    }

    #[test]
    fn the_builder_numbers_lists_and_rows_for_postgresql() {
        let mut b = Builder::new(Backend::Postgres, "INSERT INTO t (a, b) ");
        b.push_values([(1i64, "x"), (2, "y")], |mut r, (a, s)| {
            r.push_bind(a).push_bind(s);
        });
        b.push(" WHERE id IN (").push_list([7i64, 8]).push(")");
        assert_eq!(b.sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) WHERE id IN ($5, $6)");
        let mut b = Builder::new(Backend::Sqlite, "SELECT 1 WHERE a IN (");
        b.push_list([1i64, 2]).push(")");
        assert_eq!(b.sql, "SELECT 1 WHERE a IN (?, ?)");
    }
}
