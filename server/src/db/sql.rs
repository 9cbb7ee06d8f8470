//! Statements built at run time (multi-row `VALUES`, `IN` lists) with
//! parameters in each backend's own form: `$1, $2, …` for PostgreSQL, plain
//! positional `?` for SQLite. (sqlx's `QueryBuilder` writes `?` for the
//! `Any` driver, which PostgreSQL rejects. SQLite accepts `$N` and `?N`, but
//! as named parameters, and sqlx asks SQLite for every parameter's name,
//! which SQLite finds by a linear scan: binding a 32,000-value statement
//! would cost O(n²), 80 s for the demo instead of 2.)

use super::{Backend, Tx};
use sqlx::any::AnyArguments;
use sqlx::error::BoxDynError;
use sqlx::query::Query;
use sqlx::{Any, Arguments, Encode, Type};

/// Bound values per statement: SQLite accepts at most 32,766 (PostgreSQL
/// 65,535); stay below both.
pub const MAX_BINDS: usize = 32_000;

/// Rows per multi-row statement of `columns` values each.
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_BINDS / columns).max(1)
}

/// Inserts `rows` with statements `head VALUES (…), (…) tail`, as many rows
/// per statement as the bind limit allows for `columns` values per row;
/// `bind` binds one row's values.
pub async fn insert_rows<'q, T>(
    tx: &mut Tx<'_>,
    backend: Backend,
    head: &str,
    columns: usize,
    rows: impl IntoIterator<Item = T>,
    tail: &str,
    mut bind: impl FnMut(&mut Tuple<'_, 'q>, T),
) -> Result<(), sqlx::Error> {
    let per_statement = rows_per_statement(columns);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut q = Sql::new(backend, head);
        q.values(rows.by_ref().take(per_statement), &mut bind);
        q.push(tail);
        q.build()?.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A statement under construction: its text and its bound values.
pub struct Sql<'q> {
    text: String,
    args: Result<AnyArguments<'q>, BoxDynError>,
    binds: usize,
    backend: Backend,
}

impl<'q> Sql<'q> {
    pub fn new(backend: Backend, head: impl Into<String>) -> Sql<'q> {
        Sql {
            text: head.into(),
            args: Ok(AnyArguments::default()),
            binds: 0,
            backend,
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a parameter bound to `value`.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        self.binds += 1;
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.binds.to_string());
            }
        }
        if let Ok(args) = &mut self.args
            && let Err(e) = args.add(value)
        {
            self.args = Err(e);
        }
        self
    }

    /// Appends `$a, $b, …`, one parameter per item (an `IN` list's inside).
    pub fn binds<T>(&mut self, items: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(item);
        }
        self
    }

    /// Appends `(…), (…)`: one parenthesised tuple per item, its values
    /// bound by `row`.
    pub fn tuples<I: IntoIterator>(
        &mut self,
        items: I,
        mut row: impl FnMut(&mut Tuple<'_, 'q>, I::Item),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            self.text.push_str(if i > 0 { ", (" } else { "(" });
            row(
                &mut Tuple {
                    sql: self,
                    first: true,
                },
                item,
            );
            self.text.push(')');
        }
        self
    }

    /// Appends `VALUES (…), (…)` (see [`Sql::tuples`]).
    pub fn values<I: IntoIterator>(
        &mut self,
        items: I,
        row: impl FnMut(&mut Tuple<'_, 'q>, I::Item),
    ) -> &mut Self {
        self.text.push_str("VALUES ");
        self.tuples(items, row)
    }

    /// The statement, ready to execute or fetch (an error if a value could
    /// not be encoded).
    pub fn build(&mut self) -> Result<Query<'_, Any, AnyArguments<'_>>, sqlx::Error> {
        let args = std::mem::replace(&mut self.args, Ok(AnyArguments::default()));
        Ok(sqlx::query_with(
            &self.text,
            args.map_err(sqlx::Error::Encode)?,
        ))
    }

    /// The SQL text so far.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The values of one tuple, separated by commas.
pub struct Tuple<'s, 'q> {
    sql: &'s mut Sql<'q>,
    first: bool,
}

impl<'q> Tuple<'_, 'q> {
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_in_order() {
        let mut q = Sql::new(Backend::Postgres, "INSERT INTO t (a, b) ");
        q.values([(1_i64, "x"), (2, "y")], |row, (a, b)| {
            row.bind(a).bind(b);
        });
        q.push(" WHERE c IN (").binds(["p", "q"]).push(")");
        assert_eq!(
            q.text(),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) WHERE c IN ($5, $6)"
        );
        let mut q = Sql::new(Backend::Sqlite, "SELECT ");
        q.binds([1_i64, 2]);
        assert_eq!(q.text(), "SELECT ?, ?");
    }
}
