//! The embedding subnet's integration tests, one binary (STYLE.md §4).

mod model;
