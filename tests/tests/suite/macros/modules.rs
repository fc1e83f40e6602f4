//! `#[actor]` actors defined in one module and used from another, with `pub(crate)`
//! and private handlers, and argument types written relative to the defining module.

use messages_tests::{Rt, every_executor};

mod bank {
    pub(crate) mod vault {
        use messages::prelude::*;

        /// A coin, known only inside `bank`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) struct Coin(pub(crate) u32);

        #[actor]
        #[derive(Debug, Default)]
        pub(crate) struct Vault {
            coins: Vec<Coin>,
        }

        #[actor]
        impl Vault {
            #[handler]
            pub(crate) fn store(&mut self, coin: self::Coin) -> usize {
                self.coins.push(coin);
                self.coins.len()
            }

            #[handler]
            pub(crate) fn total(&self) -> u32 {
                self.coins.iter().map(|coin| coin.0).sum()
            }

            /// Private: only `vault` and its parent may call it.
            #[handler]
            fn largest(&self) -> Option<Coin> {
                self.coins.iter().copied().max_by_key(|coin| coin.0)
            }

            #[handler]
            pub(crate) fn take_all(&mut self) -> Vec<Coin> {
                std::mem::take(&mut self.coins)
            }

            /// `Self` in an argument means the actor, in the message type and on the
            /// typed address alike.
            #[handler]
            pub(crate) fn absorb(&mut self, other: Self) -> usize {
                self.coins.extend(other.coins);
                self.coins.len()
            }
        }

        pub(crate) async fn largest_of(vault: &VaultAddress) -> Option<Coin> {
            vault.largest().await.ok().flatten()
        }
    }
}

use bank::vault::{Coin, Vault, VaultAddress, largest_of, vault as messages_of_vault};

async fn an_actor_is_used_from_another_module(rt: Rt) {
    let vault: VaultAddress = Vault::default().spawn_on(&rt);
    assert_eq!(vault.store(Coin(5)).await, Ok(1));
    assert_eq!(vault.store(Coin(9)).await, Ok(2));
    assert_eq!(vault.total().await, Ok(14));
    assert_eq!(largest_of(&vault).await, Some(Coin(9)));
    let stored = vault.send(messages_of_vault::Store { coin: Coin(1) }).await;
    assert_eq!(stored, Ok(3));
    let other = Vault::default();
    assert_eq!(vault.absorb(other).await, Ok(3));
    assert_eq!(vault.take_all().await, Ok(vec![Coin(5), Coin(9), Coin(1)]));
}

every_executor!(an_actor_is_used_from_another_module);
