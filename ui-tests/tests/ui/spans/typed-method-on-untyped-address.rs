mod bank {
    use messages::prelude::*;

    #[actor]
    pub struct Account;

    #[actor]
    impl Account {
        #[handler]
        pub fn deposit(&mut self, amount: u64, ctx: &Context<Self>) -> u64 {
            // Inside the actor's module: rustc says to convert the address.
            let _ = ctx.address().deposit(1);
            amount
        }
    }

    pub mod tests {
        use super::*;

        // A child module that imports the parent's items: the same message.
        pub async fn deposit(account: Address<Account>) -> Result<u64, SendError> {
            account.deposit(2).await
        }
    }
}

fn main() {
    // Elsewhere, rustc's own error: the method is not found on `Address<Account>`.
    let context = messages::Context::<bank::Account>::new();
    let _ = context.address().deposit(3);
}
