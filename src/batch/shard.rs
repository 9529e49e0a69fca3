//! `--shard K/N`: a deterministic split of a batch across machines; `--shard auto` (or `auto/N`)
//! takes K and N from the scheduler that started the worker.
use std::path::PathBuf;

/// What `--shard` was given: a fixed K/N, or `auto` with an optional count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardSpec {
    Fixed(usize, usize),
    /// Index (and count, unless given) from the environment.
    Auto(Option<usize>),
}

/// Parses `--shard K/N`, `auto` or `auto/N`.
pub fn parse_shard_spec(s: &str) -> std::result::Result<ShardSpec, String> {
    let s = s.trim();
    if s == "auto" {
        return Ok(ShardSpec::Auto(None));
    }
    if let Some(n) = s.strip_prefix("auto/") {
        return match n.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(ShardSpec::Auto(Some(n))),
            _ => Err(format!("auto/{n}: N must be a whole number ≥ 1")),
        };
    }
    parse_shard(s).map(|(k, n)| ShardSpec::Fixed(k, n))
}

/// The environment variables `--shard auto` reads, in the order it tries them: the index
/// variable, whether it counts from 0, and the count variable the scheduler sets with it.
const SCHEDULERS: &[(&str, &str, bool, Option<&str>)] = &[
    // Kubernetes Indexed Job: JOB_COMPLETION_INDEX from 0; the count is not in the environment.
    ("Kubernetes Indexed Job", "JOB_COMPLETION_INDEX", true, None),
    // SLURM job array: the task id, from SLURM_ARRAY_TASK_MIN, and the task count.
    (
        "SLURM array",
        "SLURM_ARRAY_TASK_ID",
        true,
        Some("SLURM_ARRAY_TASK_COUNT"),
    ),
    // GNU parallel: the job's sequence number from 1.
    ("GNU parallel", "PARALLEL_SEQ", false, None),
    // Anything else: set it yourself, from 1.
    (
        "KNEETRACK_SHARD_INDEX",
        "KNEETRACK_SHARD_INDEX",
        false,
        None,
    ),
];

/// Resolves `--shard auto[/N]` from the environment (`env` looks a variable up) into K/N, 1-based.
/// The count is N when given, else the scheduler's own count variable (SLURM), else
/// `KNEETRACK_SHARD_COUNT`, else `JOB_COMPLETIONS` (set it from the Job's `completions` field).
pub fn shard_from_env(
    count: Option<usize>,
    env: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<(usize, usize), String> {
    let number = |var: &str| -> std::result::Result<Option<usize>, String> {
        match env(var) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => v
                .trim()
                .parse::<usize>()
                .map(Some)
                .map_err(|_| format!("--shard auto: {var}={v:?} is not a whole number")),
        }
    };
    for &(name, var, from_zero, own_count) in SCHEDULERS {
        let Some(index) = number(var)? else {
            continue;
        };
        let k = if var == "SLURM_ARRAY_TASK_ID" {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            index.checked_sub(min).ok_or_else(|| {
                format!(
                    "--shard auto: SLURM_ARRAY_TASK_ID {index} is below SLURM_ARRAY_TASK_MIN {min}"
                )
            })? + 1
        } else if from_zero {
            index + 1
        } else {
            index
        };
        let n = match count {
            Some(n) => Some(n),
            None => match own_count {
                Some(c) => number(c)?,
                None => None,
            }
            .map_or_else(|| number("KNEETRACK_SHARD_COUNT"), |n| Ok(Some(n)))?
            .map_or_else(|| number("JOB_COMPLETIONS"), |n| Ok(Some(n)))?,
        };
        let n = n.ok_or_else(|| {
            format!(
                "--shard auto: {var} is set ({name}) but not how many shards there are: give --shard auto/N or set KNEETRACK_SHARD_COUNT"
            )
        })?;
        if k == 0 || n == 0 || k > n {
            return Err(format!(
                "--shard auto: {var} gives shard {k} of {n}; need 1 ≤ K ≤ N"
            ));
        }
        return Ok((k, n));
    }
    Err("--shard auto: no shard index in the environment (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, PARALLEL_SEQ or KNEETRACK_SHARD_INDEX)".into())
}

/// Parses `--shard K/N` (1 ≤ K ≤ N).
pub fn parse_shard(s: &str) -> std::result::Result<(usize, usize), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
    let k: usize = k.trim().parse().map_err(|_| "K is not a number")?;
    let n: usize = n.trim().parse().map_err(|_| "N is not a number")?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: need 1 ≤ K ≤ N"));
    }
    Ok((k, n))
}

/// The clips of shard `k` of `n`: every n-th clip of the sorted list, so machines split a batch the
/// same way whatever order they listed it in.
pub fn shard(mut clips: Vec<PathBuf>, k: usize, n: usize) -> Vec<PathBuf> {
    clips.sort();
    clips.dedup();
    clips
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % n == k - 1)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_batch_whatever_the_order() {
        let clips: Vec<PathBuf> = (0..7).map(|i| PathBuf::from(format!("c{i}.mp4"))).collect();
        let mut reversed = clips.clone();
        reversed.reverse();
        let mut all = Vec::new();
        for k in 1..=3 {
            let part = shard(clips.clone(), k, 3);
            assert_eq!(part, shard(reversed.clone(), k, 3));
            all.extend(part);
        }
        all.sort();
        assert_eq!(all, clips);
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert!(
            parse_shard("0/4").is_err() && parse_shard("5/4").is_err() && parse_shard("x").is_err()
        );
    }

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn auto_shards_come_from_each_scheduler() {
        assert_eq!(parse_shard_spec("auto"), Ok(ShardSpec::Auto(None)));
        assert_eq!(parse_shard_spec("auto/8"), Ok(ShardSpec::Auto(Some(8))));
        assert_eq!(parse_shard_spec("2/4"), Ok(ShardSpec::Fixed(2, 4)));
        assert!(parse_shard_spec("auto/0").is_err() && parse_shard_spec("auto/x").is_err());
        let k8s = env_of(&[
            ("JOB_COMPLETION_INDEX", "0"),
            ("KNEETRACK_SHARD_COUNT", "3"),
        ]);
        assert_eq!(shard_from_env(None, &k8s), Ok((1, 3)));
        assert_eq!(shard_from_env(Some(5), &k8s), Ok((1, 5)));
        let k8s = env_of(&[("JOB_COMPLETION_INDEX", "2"), ("JOB_COMPLETIONS", "3")]);
        assert_eq!(shard_from_env(None, &k8s), Ok((3, 3)));
        let slurm = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env(None, &slurm), Ok((3, 4)));
        let parallel = env_of(&[("PARALLEL_SEQ", "2")]);
        assert_eq!(shard_from_env(Some(2), &parallel), Ok((2, 2)));
        let err = shard_from_env(None, &parallel).unwrap_err();
        assert!(err.contains("auto/N"), "{err}");
        let err = shard_from_env(Some(2), &env_of(&[("PARALLEL_SEQ", "3")])).unwrap_err();
        assert!(err.contains("shard 3 of 2"), "{err}");
        let err = shard_from_env(None, &env_of(&[])).unwrap_err();
        assert!(err.contains("JOB_COMPLETION_INDEX"), "{err}");
        let err = shard_from_env(Some(2), &env_of(&[("PARALLEL_SEQ", "x")])).unwrap_err();
        assert!(err.contains("not a whole number"), "{err}");
    }
}
