//! `scale_info::TypeInfo` for the wire types, with the type paths Substrate clients expect
//! (feature `scale-info`).
//!
//! Decoders special-case some paths: `sp_core::crypto::AccountId32` is rendered as an SS58
//! address. `NetUid`, `Uid` and `Balance` describe themselves as their inner integer (they
//! encode exactly as it does), so clients pass plain numbers for them.
//!
//! Wire format: these descriptions go into the chain's metadata; changing a path or shape
//! changes how clients decode our values.

use scale_info::{Path, Type, TypeInfo, build::Fields};

use crate::{AccountId32, Balance, NetUid, Uid};

impl TypeInfo for AccountId32 {
    type Identity = Self;

    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("AccountId32", "sp_core::crypto"))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")))
    }
}

/// Describes a transparent newtype as its inner type.
macro_rules! transparent {
    ($($name:ty => $inner:ty),* $(,)?) => {$(
        impl TypeInfo for $name {
            type Identity = $inner;

            fn type_info() -> Type {
                <$inner>::type_info()
            }
        }
    )*};
}

transparent!(NetUid => u16, Uid => u16, Balance => u64);

#[cfg(test)]
mod tests {
    use super::*;
    use scale_info::{MetaType, Registry};

    #[test]
    fn test_account_id_path_is_sp_cores() {
        let ty = AccountId32::type_info();
        assert_eq!(ty.path.segments, vec!["sp_core", "crypto", "AccountId32"]);
    }

    #[test]
    fn test_ids_share_the_integer_type() {
        let mut registry = Registry::new();
        let a = registry.register_type(&MetaType::new::<NetUid>());
        let b = registry.register_type(&MetaType::new::<u16>());
        assert_eq!(a.id, b.id);
    }
}
