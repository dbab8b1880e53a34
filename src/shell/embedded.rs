//! The files built into the binary by `build.rs`: templates and migrations, so an installed service needs none beside it.
include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
