import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A small starting catalog for Lianyungang (320700), enough to run the loop. The full catalog and its
 * admin API come with the routing work.
 */
export class SeedCatalog1763800000210 implements MigrationInterface {
  name = 'SeedCatalog1763800000210';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      INSERT INTO catalog_entry (id, item_code, region_code, item_name, mode, supervising_department, claim_deadline_days) VALUES
        ('6f1d1a9e-0c1b-4f51-9a63-000000000001', 'FOOD-BUSINESS-LICENCE', '320700', '食品经营许可', 'separated', '320700-SAMR', 2),
        ('6f1d1a9e-0c1b-4f51-9a63-000000000002', 'CONSTRUCTION-PERMIT', '320700', '建筑工程施工许可', 'integrated', NULL, 2),
        ('6f1d1a9e-0c1b-4f51-9a63-000000000003', 'DRUG-RETAIL-LICENCE', '320700', '药品零售企业经营许可', 'separated', '320700-MPA', 2),
        ('6f1d1a9e-0c1b-4f51-9a63-000000000004', 'PUBLIC-PLACE-HEALTH-LICENCE', '320000', '公共场所卫生许可', 'separated', '320700-HEALTH', 3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM catalog_entry WHERE id::text LIKE '6f1d1a9e-0c1b-4f51-9a63-00000000000_'`);
  }
}
