//! The bystander watch both model families keep: every so many tracked frames the rest of the
//! picture is searched for somebody else (a single-person model only ever reports one), and who
//! was seen is remembered, so a clip whose tracked person never squats can be tracked again from
//! the other one.
use super::PersonHint;

#[derive(Debug, Clone)]
pub(crate) struct BystanderWatch {
    /// Search every `every` tracked frames, on the frames whose count modulo `every` is `phase`.
    every: u64,
    phase: u64,
    frames: u64,
    seen: u32,
    last: Option<PersonHint>,
}

impl BystanderWatch {
    pub(crate) fn new(every: u64, phase: u64) -> Self {
        BystanderWatch {
            every,
            phase,
            frames: 0,
            seen: 0,
            last: None,
        }
    }

    /// Counts one tracked frame; whether this frame is one to search.
    pub(crate) fn tick(&mut self) -> bool {
        self.frames += 1;
        self.frames % self.every == self.phase
    }

    /// Somebody else was seen here.
    pub(crate) fn saw(&mut self, hint: PersonHint) {
        self.seen += 1;
        self.last = Some(hint);
    }

    /// How many searches found somebody since the last reset.
    pub(crate) fn seen(&self) -> u32 {
        self.seen
    }

    /// Where somebody else was last seen.
    pub(crate) fn last(&self) -> Option<PersonHint> {
        self.last
    }

    pub(crate) fn reset(&mut self) {
        *self = BystanderWatch::new(self.every, self.phase);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point;

    #[test]
    fn searches_on_its_phase_and_forgets_on_reset() {
        let mut watch = BystanderWatch::new(30, 15);
        let due: Vec<u64> = (1..=90).filter(|_| watch.tick()).collect();
        assert_eq!(due.len(), 3);
        let hint = PersonHint {
            centre: Point::new(1.0, 2.0),
            size: 3.0,
        };
        watch.saw(hint);
        assert_eq!((watch.seen(), watch.last()), (1, Some(hint)));
        watch.reset();
        assert_eq!((watch.seen(), watch.last()), (0, None));
        assert!((1..15).all(|_| !watch.tick()) && watch.tick());
    }
}
