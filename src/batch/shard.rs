//! `--shard K/N`: a deterministic split of a batch across machines.
use std::path::PathBuf;

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
}
