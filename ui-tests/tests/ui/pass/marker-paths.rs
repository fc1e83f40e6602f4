//! `#[handler]` and `#[notify]` written with the crate's path are the markers too.

#[messages::actor]
#[derive(Default)]
struct Counter {
    count: u64,
}

#[messages::actor]
impl Counter {
    #[messages::handler]
    fn get(&self) -> u64 {
        self.count
    }

    #[::messages::notify]
    fn bump(&mut self) {
        self.count += 1;
    }

    #[messages::prelude::handler(message = Twice)]
    fn twice(&self) -> u64 {
        self.count * 2
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let counter = Counter::default().spawn();
        counter.bump().await.unwrap();
        assert_eq!(counter.get().await, Ok(1));
        assert_eq!(counter.send(counter::Twice).await, Ok(2));
    });
}
