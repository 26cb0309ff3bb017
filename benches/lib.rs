//! The benchmarks of `rebilly-customer` (see its README's performance sections). The bench
//! targets are the package; this empty library only gives cargo a target to hang them on.
