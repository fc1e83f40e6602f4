//! An `#[actor]` impl block in another module than the declaration: it names the actor
//! by its path, or imports the typed address by name.

mod declared {
    use messages::prelude::*;

    #[actor]
    pub struct Account;

    #[actor]
    pub struct Ledger;
}

mod by_path {
    use messages::prelude::*;

    #[actor]
    impl super::declared::Account {
        #[handler]
        pub fn balance(&self) -> i64 {
            0
        }
    }
}

mod by_import {
    use messages::prelude::*;

    use super::declared::{Ledger, LedgerAddress};

    #[actor]
    impl Ledger {
        #[handler]
        pub fn entries(&self) -> usize {
            0
        }
    }

    pub async fn entries(ledger: &LedgerAddress) -> usize {
        ledger.entries().await.unwrap_or(0)
    }
}

fn main() {
    let _ = by_import::entries;
    let _ = by_path::account::Balance;
}
