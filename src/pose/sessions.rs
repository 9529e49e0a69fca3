//! How many pose sessions track one clip, and opening them (issue 15).
//!
//! A small pose model does not keep two intra-op threads busy (Thunder: 39 ms on one thread, 23 ms
//! on two), so on two cores two one-thread sessions taking alternate frames give more throughput
//! than one two-thread session. The second session is opened on the first clip small enough for
//! it (see [`MAX_SPLIT_PIXELS`]), so a 4K clip pays neither its memory nor its frame buffer.
use super::catalog::{self, ModelChoice};
use super::PoseEstimator;
use crate::error::Result;
use crate::pose::runtime::SessionOptions;

/// Largest frame (in pixels) tracked by two sessions: each holds one more decoded frame (25 MB at
/// 4K) and a model session; above this a clip is tracked by one session, which keeps the 4K 60 fps
/// peak-RSS goal (300 MB) and loses little, since decoding, not the model, bounds a 4K clip.
pub const MAX_SPLIT_PIXELS: u64 = 2560 * 1440;

/// Whether auto (`--sessions 0`) picks two sessions where they can run. Off for now: two
/// sessions moved peak FPPA by up to 1.47° against one on the samples (goal 4 allows 1°; towards
/// the rendered truth, but a change) and showed no wall gain with Thunder on the 2-core machine.
/// BlazePose Full runs 1.30× faster with two, but on real clips each session's region of interest,
/// taken from its own pose two frames back, lags the motion: peaks moved up to 3.5° and one clip
/// lost its 4 reps (BENCHMARKS.md, "every lever at once"). `--sessions 2` opts in.
pub const AUTO_TWO_SESSIONS: bool = false;

/// Most sessions one clip may use (`--sessions`).
pub const MAX_SESSIONS: usize = 4;

/// Sessions and intra-op threads each, from `--threads`, `--sessions`, `--jobs` and the cores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPlan {
    pub sessions: usize,
    /// Intra-op threads per session (0 = ONNX Runtime's choice).
    pub threads: usize,
}

impl SessionPlan {
    /// One session per clip with `threads` threads (today's layout).
    pub fn single(threads: usize) -> Self {
        SessionPlan {
            sessions: 1,
            threads,
        }
    }

    /// The layout for `threads` (0 = auto) with `jobs` clips at once on `cores` cores; `sessions`
    /// (0 = auto) overrides the count, splitting the threads between the sessions. Auto: one
    /// session while `AUTO_TWO_SESSIONS` is off; with it on, two when one clip runs at a time,
    /// the thread count is auto or at least 2 and there are two cores; `--threads 1` and batches
    /// (one session per job already fills the cores) keep one.
    pub fn choose(threads: usize, sessions: usize, jobs: usize, cores: usize) -> Self {
        Self::choose_with(AUTO_TWO_SESSIONS, threads, sessions, jobs, cores)
    }

    /// [`SessionPlan::choose`], auto picking two sessions only when `auto_two`.
    fn choose_with(
        auto_two: bool,
        threads: usize,
        sessions: usize,
        jobs: usize,
        cores: usize,
    ) -> Self {
        let budget = if threads == 0 { cores } else { threads };
        let auto = if !auto_two || jobs > 1 || threads == 1 || cores < 2 || budget < 2 {
            1
        } else {
            2
        };
        let sessions = if sessions == 0 { auto } else { sessions };
        if sessions == 1 {
            // Batches with auto threads take one thread per job, as before.
            let threads = if jobs > 1 && threads == 0 { 1 } else { threads };
            return SessionPlan::single(threads);
        }
        SessionPlan {
            sessions,
            threads: (budget / sessions).max(1),
        }
    }
}

/// The pose sessions one worker tracks its clips with: the first opened up front, the others on
/// the first clip small enough for them.
pub struct Sessions {
    choice: ModelChoice,
    plan: SessionPlan,
    first: Box<dyn PoseEstimator + Send>,
    others: Vec<Box<dyn PoseEstimator + Send>>,
}

impl Sessions {
    /// Opens the first session (a bad model fails here).
    pub fn open(choice: &ModelChoice, plan: SessionPlan) -> Result<Self> {
        let first = catalog::open(
            choice,
            SessionOptions {
                threads: plan.threads,
            },
        )?;
        Ok(Sessions {
            choice: choice.clone(),
            plan,
            first,
            others: Vec::new(),
        })
    }

    pub fn plan(&self) -> SessionPlan {
        self.plan
    }

    /// The first session, alone (benchmarks of one frame).
    pub fn first(&mut self) -> &mut dyn PoseEstimator {
        self.first.as_mut()
    }

    /// The sessions for a clip of `pixels` per frame: the first and, when the plan has more and
    /// the frame is at most [`MAX_SPLIT_PIXELS`], the others (opened now if not yet).
    pub fn for_frames(&mut self, pixels: u64) -> Result<Pair<'_>> {
        let wanted = if pixels <= MAX_SPLIT_PIXELS {
            self.plan.sessions.saturating_sub(1)
        } else {
            0
        };
        while self.others.len() < wanted {
            self.others.push(catalog::open(
                &self.choice,
                SessionOptions {
                    threads: self.plan.threads,
                },
            )?);
        }
        Ok(Pair {
            first: self.first.as_mut(),
            others: self
                .others
                .iter_mut()
                .take(wanted)
                .map(|e| e.as_mut() as &mut (dyn PoseEstimator + Send))
                .collect(),
        })
    }
}

/// The sessions tracking one clip: the first runs on the calling thread, each other one on its
/// own thread; posed frame k goes to session k mod (1 + others).
pub struct Pair<'a> {
    pub first: &'a mut dyn PoseEstimator,
    pub others: Vec<&'a mut (dyn PoseEstimator + Send)>,
}

impl Pair<'_> {
    pub fn count(&self) -> usize {
        1 + self.others.len()
    }

    /// Forgets every session's tracking state, for a new pass.
    pub fn reset_all(&mut self) {
        self.first.reset();
        self.reset_others();
    }

    /// Forgets the tracking state of the sessions after the first (which a second pass points at
    /// the other person; the others start where it looks, see `pipeline::track`).
    pub fn reset_others(&mut self) {
        for other in self.others.iter_mut() {
            other.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_one_thread_sessions_on_two_cores_unless_told_or_batched() {
        let plan = |threads, sessions, jobs, cores| {
            let p = SessionPlan::choose_with(true, threads, sessions, jobs, cores);
            (p.sessions, p.threads)
        };
        // While auto stays at one session: today's layout unless --sessions says otherwise.
        let off = |threads, sessions| {
            let p = SessionPlan::choose_with(false, threads, sessions, 1, 2);
            (p.sessions, p.threads)
        };
        assert_eq!(off(0, 0), (1, 0));
        assert_eq!(off(2, 0), (1, 2));
        assert_eq!(off(0, 2), (2, 1));
        // Auto threads, one clip, two cores: two sessions of one thread.
        assert_eq!(plan(0, 0, 1, 2), (2, 1));
        assert_eq!(plan(2, 0, 1, 2), (2, 1));
        assert_eq!(plan(0, 0, 1, 16), (2, 8));
        // --threads 1, one core, or a batch: one session, as before.
        assert_eq!(plan(1, 0, 1, 2), (1, 1));
        assert_eq!(plan(0, 0, 1, 1), (1, 0));
        assert_eq!(plan(0, 0, 2, 2), (1, 1));
        assert_eq!(plan(2, 0, 2, 2), (1, 2));
        // --sessions overrides.
        assert_eq!(plan(0, 1, 1, 2), (1, 0));
        assert_eq!(plan(2, 1, 1, 2), (1, 2));
        assert_eq!(plan(1, 2, 1, 2), (2, 1));
        assert_eq!(plan(0, 2, 2, 2), (2, 1));
    }
}
