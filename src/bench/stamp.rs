//! The UTC time of a benchmark, for its JSON record (RFC 3339, to the second).

/// Now, as `YYYY-MM-DDTHH:MM:SSZ` (the same formatting as the reports' `recorded.at`).
pub fn utc_now() -> String {
    crate::video::rfc3339(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::utc_now;

    #[test]
    fn now_is_rfc3339_utc() {
        let now = utc_now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }
}
