use messages::prelude::*;

#[actor]
struct Machine;

#[actor]
impl Machine {
    #[handler]
    fn start(&mut self, ctx: &Context<Self>) {
        // `ctx.typed_address()` is the one step; rustc suggests `.into()`, not a
        // struct literal of the typed address.
        let me: MachineAddress = ctx.address();
        drop(me);
    }
}

fn main() {}
