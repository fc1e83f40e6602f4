//! The names `#[actor]` generates never take the place of the user's: a message type
//! named like a type its fields use, `Self` in an argument, a prelude type named like a
//! handler, and a generated module named on the attribute when the actor's name is
//! taken by a module of the user's.

use messages::prelude::*;
use messages_tests::{Rt, every_executor};

/// Named like the message of `Store::update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub key: u8,
}

/// Named like the message of `Store::config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub verbose: bool,
}

/// A trait whose associated type a handler names through `Self`.
pub trait Keyed {
    type Key;
}

#[actor]
#[derive(Debug, Default)]
pub struct Store {
    updates: Vec<Update>,
    config: Option<Config>,
    words: Vec<String>,
}

impl Keyed for Store {
    type Key = u8;
}

#[actor]
impl Store {
    /// `Update` is the user's type, not the message `store::Update`.
    #[notify]
    pub fn update(&mut self, update: Update) {
        self.updates.push(update);
    }

    /// `Config` is the user's type, not the message `store::Config`.
    #[handler]
    pub fn config(&mut self, config: Config) -> Option<Config> {
        self.config.replace(config)
    }

    /// `String` is the prelude's, not the message `store::String`.
    #[handler]
    pub fn string(&mut self, string: String) -> usize {
        self.words.push(string);
        self.words.len()
    }

    /// `Vec` and `Option` are the prelude's.
    #[handler]
    pub fn vec(&mut self, values: Vec<Option<u8>>) -> usize {
        values.into_iter().flatten().count()
    }

    /// `<Self as Keyed>::Key` is the actor's associated type.
    #[handler]
    pub fn key(&self, key: <Self as Keyed>::Key) -> bool {
        self.updates.iter().any(|update| update.key == key)
    }

    #[handler]
    pub fn updates(&self) -> Vec<Update> {
        self.updates.clone()
    }
}

/// An actor named like its own message: `Self` in `merge` is the actor.
#[actor]
#[derive(Debug, Default)]
pub struct Merge {
    total: u32,
}

#[actor]
impl Merge {
    #[handler]
    pub fn merge(&mut self, other: Self) -> u32 {
        self.total += other.total;
        self.total
    }
}

/// A generic actor taking itself: the message is generic over the actor's parameter.
#[actor]
#[derive(Debug, Default)]
pub struct Pile<T> {
    items: Vec<T>,
}

#[actor]
impl<T: Send + 'static> Pile<T> {
    #[handler]
    pub fn pile(&mut self, other: Self) -> usize {
        self.items.extend(other.items);
        self.items.len()
    }
}

/// A module of the user's, named like the actor below.
pub mod settings {
    /// Known to `Settings`' handler.
    pub const DEFAULT_LEVEL: u8 = 3;
}

/// Its message module would be `settings`: named on the attribute instead.
#[actor]
#[derive(Debug, Default)]
pub struct Settings {
    level: u8,
}

#[actor(module = settings_messages)]
impl Settings {
    #[handler]
    pub fn level(&mut self, level: Option<u8>) -> u8 {
        self.level = level.unwrap_or(settings::DEFAULT_LEVEL);
        self.level
    }
}

/// Its message module is `r#loop`: a keyword becomes a raw identifier.
#[actor]
#[derive(Debug, Default)]
pub struct Loop {
    rounds: u32,
}

#[actor]
impl Loop {
    #[handler]
    pub fn round(&mut self) -> u32 {
        self.rounds += 1;
        self.rounds
    }
}

async fn message_types_do_not_shadow_the_users_types(rt: Rt) {
    let store = Store::default().spawn_on(&rt);
    store.update(Update { key: 1 }).await.unwrap();
    store
        .notify(store::Update {
            update: Update { key: 2 },
        })
        .await
        .unwrap();
    assert_eq!(
        store.updates().await,
        Ok(vec![Update { key: 1 }, Update { key: 2 }])
    );
    let verbose = Config { verbose: true };
    assert_eq!(store.config(verbose).await, Ok(None));
    assert_eq!(
        store.send(store::Config { config: verbose }).await,
        Ok(Some(verbose))
    );
    assert_eq!(store.string("a".to_owned()).await, Ok(1));
    assert_eq!(
        store
            .send(store::String {
                string: "b".to_owned()
            })
            .await,
        Ok(2)
    );
    assert_eq!(store.vec(vec![Some(1), None, Some(3)]).await, Ok(2));
    assert_eq!(store.key(2).await, Ok(true));
    assert_eq!(store.send(store::Key { key: 9 }).await, Ok(false));
}

async fn self_in_an_argument_is_the_actor(rt: Rt) {
    let merge = Merge::default().spawn_on(&rt);
    assert_eq!(merge.merge(Merge { total: 2 }).await, Ok(2));
    let message: merge::Merge = merge::Merge {
        other: Merge { total: 3 },
    };
    assert_eq!(merge.send(message).await, Ok(5));
    let pile = Pile::<u8>::default().spawn_on(&rt);
    assert_eq!(pile.pile(Pile { items: vec![1, 2] }).await, Ok(2));
    let message: pile::Pile<u8> = pile::Pile {
        other: Pile { items: vec![3] },
    };
    assert_eq!(pile.send(message).await, Ok(3));
}

async fn the_message_module_is_named_on_the_attribute(rt: Rt) {
    let settings = Settings::default().spawn_on(&rt);
    assert_eq!(settings.level(None).await, Ok(settings::DEFAULT_LEVEL));
    let message = settings_messages::Level { level: Some(7) };
    assert_eq!(settings.send(message).await, Ok(7));
    let looping = Loop::default().spawn_on(&rt);
    assert_eq!(looping.round().await, Ok(1));
    assert_eq!(looping.send(r#loop::Round).await, Ok(2));
}

every_executor!(
    message_types_do_not_shadow_the_users_types,
    self_in_an_argument_is_the_actor,
    the_message_module_is_named_on_the_attribute
);
