//! CPU time this process has used, user and system, from /proc/self/stat: the end-to-end runs
//! report it beside the wall time because on a shared machine wall time says how busy the machine
//! was as much as how much work was done.

/// User and system CPU seconds, all threads of the process.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CpuTimes {
    pub user_s: f64,
    pub sys_s: f64,
}

impl CpuTimes {
    /// So far; zero where /proc is not there (then the CPU columns read 0).
    pub fn now() -> CpuTimes {
        std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|t| parse_stat(&t))
            .unwrap_or_default()
    }

    /// What was used between `before` and `self`.
    pub fn since(&self, before: &CpuTimes) -> CpuTimes {
        CpuTimes {
            user_s: self.user_s - before.user_s,
            sys_s: self.sys_s - before.sys_s,
        }
    }
}

/// Linux reports these times in clock ticks of 1/100 s (`USER_HZ`, fixed at 100 on every
/// architecture Rust targets).
const TICKS_PER_S: f64 = 100.0;

/// utime and stime, fields 14 and 15; the command name (field 2) may hold spaces, so fields are
/// counted after its closing parenthesis.
fn parse_stat(text: &str) -> Option<CpuTimes> {
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some(CpuTimes {
        user_s: ticks(11)? / TICKS_PER_S,
        sys_s: ticks(12)? / TICKS_PER_S,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utime_and_stime_past_a_name_with_spaces() {
        let line = "4242 (knee track) R 1 2 3 4 5 6 7 8 9 10 250 37 0 0 20 0 3 0 100 0 0";
        assert_eq!(
            parse_stat(line),
            Some(CpuTimes {
                user_s: 2.5,
                sys_s: 0.37
            })
        );
        assert_eq!(parse_stat("garbage"), None);
        let spent = CpuTimes::now();
        assert!(spent.user_s >= 0.0 && spent.sys_s >= 0.0);
    }
}
