// Built-in mapping profiles, tried by header signature when no --mapping is given. One JSON file each,
// one line here; mapping.ts validates them like a user's profile. Their status values live in one table,
// statuses.json (with the source of each term), merged in here.
import alipayPersonal from './alipay-personal.json' with { type: 'json' };
import { withStatusVocabulary } from './statuses.js';
import tabformer from './tabformer.json' with { type: 'json' };
import wechatMerchantBill from './wechat-merchant-bill.json' with { type: 'json' };
import wechatPersonal from './wechat-personal.json' with { type: 'json' };

export const BUILTIN_PROFILES: readonly unknown[] = [tabformer, wechatMerchantBill, alipayPersonal, wechatPersonal].map((p) => withStatusVocabulary(p));
