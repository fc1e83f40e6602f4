//! Compile-fail and pass cases of the `#[actor]` macros. Each case is one concept; its
//! `.stderr` pins the diagnostic. Bless a changed diagnostic with `TRYBUILD=overwrite`
//! and review the diff: never edit a `.stderr` by hand.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/item/*.rs");
    cases.compile_fail("tests/ui/attribute/*.rs");
    cases.compile_fail("tests/ui/handler/*.rs");
    cases.compile_fail("tests/ui/spans/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
