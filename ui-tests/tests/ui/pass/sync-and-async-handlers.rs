use messages::prelude::*;

#[actor]
#[derive(Default)]
struct Counter {
    count: u64,
}

#[actor]
impl Counter {
    #[handler]
    fn get(&self) -> u64 {
        self.count
    }

    #[handler]
    async fn add(&mut self, mut amount: u64, ctx: &Context<Self>) -> u64 {
        amount += 0;
        self.count += amount;
        let _ = ctx.id();
        self.count
    }

    #[notify]
    async fn reset(&mut self) {
        self.count = 0;
    }

    #[handler]
    fn r#type(&self) -> &'static str {
        "counter"
    }
}

fn main() {
    futures_free_block_on();
}

fn futures_free_block_on() {
    let runtime = tokio_runtime();
    runtime.block_on(async {
        let counter = Counter::default().spawn();
        assert_eq!(counter.add(2).await, Ok(2));
        assert_eq!(counter.get().await, Ok(2));
        counter.reset().await.unwrap();
        assert_eq!(counter.send(counter::Get).await, Ok(0));
        assert_eq!(counter.r#type().await, Ok("counter"));
        let _: counter::Type = counter::Type;
    });
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().unwrap()
}
