//! "Did you mean": the known word nearest a mistyped one.

/// The candidate within two edits of `written` (a transposition counts as one), nearest
/// first; `None` when nothing is that close.
pub fn closest<'c>(written: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|candidate| (strsim::osa_distance(written, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_finds_its_key_and_a_stranger_finds_none() {
        let keys = ["run_in_transaction", "revision", "parents"];
        assert_eq!(
            closest("run_in_transacton", &keys),
            Some("run_in_transaction")
        );
        assert_eq!(closest("revison", &keys), Some("revision"));
        assert_eq!(closest("colour", &keys), None);
    }
}
