//! kneetrack's integration tests, in one binary (one link of the crate instead of eleven), like
//! ripgrep's `tests/`. Each module tests one face of the product; `common` holds the shared helpers.
//! Run one module with `cargo test --release --test main cli::`.
mod common;

mod bench_cli;
mod blazepose;
mod blazepose_reference;
mod bounds;
mod camera;
mod cli;
mod fuzz_readers;
mod hostile;
mod output_paths;
mod outputs;
mod pose_rate;
mod prop_assess;
mod real_clips;
mod reports;
mod synth_cases;
mod synthetic_accuracy;
mod video_decode;
mod video_writer;
