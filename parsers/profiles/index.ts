// Built-in mapping profiles, tried by header signature when no --mapping is given. One JSON file each,
// one line here; mapping.ts validates them like a user's profile.
import alipayPersonal from './alipay-personal.json' with { type: 'json' };
import tabformer from './tabformer.json' with { type: 'json' };
import wechatMerchantBill from './wechat-merchant-bill.json' with { type: 'json' };
import wechatPersonal from './wechat-personal.json' with { type: 'json' };

export const BUILTIN_PROFILES: readonly unknown[] = [tabformer, wechatMerchantBill, alipayPersonal, wechatPersonal];
