//! What kneetrack writes: the terminal summary and JSON report (`report`), the per-frame CSV
//! (`csv`), the HTML report (`html`), the annotated video (`annotate`), where each goes (`target`: a file
//! or standard output), the all-or-nothing file writes every one of them goes through (`atomic`), and what an output path is (`sink`: a file, or a device, FIFO or descriptor written straight into). `bout_and_leg_text` words bouts and legs the
//! same way for all of them.
pub mod annotate;
pub mod atomic;
pub mod bout_and_leg_text;
pub mod csv;
#[cfg(test)]
pub(crate) mod fixture;
pub mod html;
pub mod pictures;
pub mod report;
pub mod sink;
pub mod target;
