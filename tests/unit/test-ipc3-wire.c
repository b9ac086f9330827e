// SPDX-License-Identifier: MIT
/*
 * SOF IPC3 wire definitions: structure sizes and field offsets match the SOF ABI, command
 * words pack and unpack as 0xGCCCNNNN, the named commands carry the documented numbers,
 * and the ABI word helpers agree with the published version layout.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipc/ipc3.h"
#include "util/le.h"

static void structure_sizes_match_the_sof_abi(void **state)
{
	assert_int_equal(sizeof(struct ipc3_hdr), 4);
	assert_int_equal(sizeof(struct ipc3_cmd_hdr), 8);
	assert_int_equal(sizeof(struct ipc3_reply), 12);
	assert_int_equal(sizeof(struct ipc3_comp_reply), 20);
	assert_int_equal(sizeof(struct ipc3_host_buffer), 28);
	assert_int_equal(sizeof(struct ipc3_comp), 28);
	assert_int_equal(sizeof(struct ipc3_comp_config), 36);
	assert_int_equal(sizeof(struct ipc3_comp_host), 76);
	assert_int_equal(sizeof(struct ipc3_comp_dai), 80);
	assert_int_equal(sizeof(struct ipc3_comp_mixer), 64);
	assert_int_equal(sizeof(struct ipc3_comp_mux), 64);
	assert_int_equal(sizeof(struct ipc3_comp_volume), 84);
	assert_int_equal(sizeof(struct ipc3_comp_src), 76);
	assert_int_equal(sizeof(struct ipc3_comp_asrc), 96);
	assert_int_equal(sizeof(struct ipc3_comp_tone), 100);
	assert_int_equal(sizeof(struct ipc3_comp_process), 100);
	assert_int_equal(sizeof(struct ipc3_comp_ext), 16);
	assert_int_equal(sizeof(struct ipc3_buffer), 44);
	assert_int_equal(sizeof(struct ipc3_pipe_new), 48);
	assert_int_equal(sizeof(struct ipc3_pipe_comp_connect), 16);
	assert_int_equal(sizeof(struct ipc3_free), 12);
	assert_int_equal(sizeof(struct ipc3_pipe_ready), 12);
	assert_int_equal(sizeof(struct ipc3_stream), 12);
	assert_int_equal(sizeof(struct ipc3_stream_params), 84);
	assert_int_equal(sizeof(struct ipc3_pcm_params), 108);
	assert_int_equal(sizeof(struct ipc3_pcm_params_reply), 20);
	assert_int_equal(sizeof(struct ipc3_stream_posn), 76);
	assert_int_equal(sizeof(struct ipc3_ctrl_data), 92);
	assert_int_equal(sizeof(struct ipc3_ctrl_value_chan), 8);
	assert_int_equal(sizeof(struct ipc3_abi_hdr), 32);
	assert_int_equal(sizeof(struct ipc3_pm_ctx), 76);
	assert_int_equal(sizeof(struct ipc3_pm_core_config), 12);
	assert_int_equal(sizeof(struct ipc3_pm_gate), 32);
	assert_int_equal(sizeof(struct ipc3_vfe_power_status), 12);
	assert_int_equal(sizeof(struct ipc3_vfe_power_status_reply), 16);
}

static void component_fields_sit_at_sof_offsets(void **state)
{
	assert_int_equal(offsetof(struct ipc3_comp, id), 8);
	assert_int_equal(offsetof(struct ipc3_comp, type), 12);
	assert_int_equal(offsetof(struct ipc3_comp, pipeline_id), 16);
	assert_int_equal(offsetof(struct ipc3_comp, core), 20);
	assert_int_equal(offsetof(struct ipc3_comp, ext_data_length), 24);
	assert_int_equal(offsetof(struct ipc3_comp_config, periods_sink), 8);
	assert_int_equal(offsetof(struct ipc3_comp_config, periods_source), 12);
	assert_int_equal(offsetof(struct ipc3_comp_config, frame_fmt), 20);
	assert_int_equal(offsetof(struct ipc3_comp_config, xrun_action), 24);

	assert_int_equal(offsetof(struct ipc3_comp_host, config), 28);
	assert_int_equal(offsetof(struct ipc3_comp_host, direction), 64);
	assert_int_equal(offsetof(struct ipc3_comp_host, no_irq), 68);
	assert_int_equal(offsetof(struct ipc3_comp_host, dmac_config), 72);
	assert_int_equal(offsetof(struct ipc3_comp_dai, direction), 64);
	assert_int_equal(offsetof(struct ipc3_comp_dai, dai_index), 68);
	assert_int_equal(offsetof(struct ipc3_comp_dai, type), 72);
	assert_int_equal(offsetof(struct ipc3_comp_volume, channels), 64);
	assert_int_equal(offsetof(struct ipc3_comp_volume, min_value), 68);
	assert_int_equal(offsetof(struct ipc3_comp_volume, max_value), 72);
	assert_int_equal(offsetof(struct ipc3_comp_volume, ramp), 76);
	assert_int_equal(offsetof(struct ipc3_comp_volume, initial_ramp), 80);
	assert_int_equal(offsetof(struct ipc3_comp_src, source_rate), 64);
	assert_int_equal(offsetof(struct ipc3_comp_src, sink_rate), 68);
	assert_int_equal(offsetof(struct ipc3_comp_src, rate_mask), 72);
	assert_int_equal(offsetof(struct ipc3_comp_process, size), 64);
	assert_int_equal(offsetof(struct ipc3_comp_process, type), 68);
	assert_int_equal(offsetof(struct ipc3_comp_process, data), 100);
	assert_int_equal(offsetof(struct ipc3_buffer, size), 28);
	assert_int_equal(offsetof(struct ipc3_buffer, caps), 32);
	assert_int_equal(offsetof(struct ipc3_buffer, flags), 36);
}

static void pipeline_and_reply_fields_sit_at_sof_offsets(void **state)
{
	assert_int_equal(offsetof(struct ipc3_reply, error), 8);
	assert_int_equal(offsetof(struct ipc3_comp_reply, id), 12);
	assert_int_equal(offsetof(struct ipc3_comp_reply, offset), 16);
	assert_int_equal(offsetof(struct ipc3_pipe_new, comp_id), 8);
	assert_int_equal(offsetof(struct ipc3_pipe_new, pipeline_id), 12);
	assert_int_equal(offsetof(struct ipc3_pipe_new, sched_id), 16);
	assert_int_equal(offsetof(struct ipc3_pipe_new, core), 20);
	assert_int_equal(offsetof(struct ipc3_pipe_new, period), 24);
	assert_int_equal(offsetof(struct ipc3_pipe_new, priority), 28);
	assert_int_equal(offsetof(struct ipc3_pipe_new, period_mips), 32);
	assert_int_equal(offsetof(struct ipc3_pipe_new, frames_per_sched), 36);
	assert_int_equal(offsetof(struct ipc3_pipe_new, xrun_limit_usecs), 40);
	assert_int_equal(offsetof(struct ipc3_pipe_new, time_domain), 44);
	assert_int_equal(offsetof(struct ipc3_pipe_comp_connect, source_id), 8);
	assert_int_equal(offsetof(struct ipc3_pipe_comp_connect, sink_id), 12);
	assert_int_equal(offsetof(struct ipc3_free, id), 8);
	assert_int_equal(offsetof(struct ipc3_pm_core_config, enable_mask), 8);
	assert_int_equal(offsetof(struct ipc3_pm_gate, flags), 8);
	assert_int_equal(offsetof(struct ipc3_vfe_power_status_reply, reset_status), 12);
}

static void stream_fields_sit_at_sof_offsets_including_unaligned_u64s(void **state)
{
	assert_int_equal(offsetof(struct ipc3_stream_params, buffer), 4);
	assert_int_equal(offsetof(struct ipc3_stream_params, direction), 32);
	assert_int_equal(offsetof(struct ipc3_stream_params, frame_fmt), 36);
	assert_int_equal(offsetof(struct ipc3_stream_params, buffer_fmt), 40);
	assert_int_equal(offsetof(struct ipc3_stream_params, rate), 44);
	assert_int_equal(offsetof(struct ipc3_stream_params, stream_tag), 48);
	assert_int_equal(offsetof(struct ipc3_stream_params, channels), 50);
	assert_int_equal(offsetof(struct ipc3_stream_params, sample_valid_bytes), 52);
	assert_int_equal(offsetof(struct ipc3_stream_params, sample_container_bytes), 54);
	assert_int_equal(offsetof(struct ipc3_stream_params, host_period_bytes), 56);
	assert_int_equal(offsetof(struct ipc3_stream_params, no_stream_position), 60);
	assert_int_equal(offsetof(struct ipc3_stream_params, cont_update_posn), 62);
	assert_int_equal(offsetof(struct ipc3_stream_params, ext_data_length), 64);
	assert_int_equal(offsetof(struct ipc3_stream_params, chmap), 68);
	assert_int_equal(offsetof(struct ipc3_pcm_params, comp_id), 8);
	assert_int_equal(offsetof(struct ipc3_pcm_params, flags), 12);
	assert_int_equal(offsetof(struct ipc3_pcm_params, params), 24);
	assert_int_equal(offsetof(struct ipc3_pcm_params_reply, comp_id), 12);
	assert_int_equal(offsetof(struct ipc3_pcm_params_reply, posn_offset), 16);

	assert_int_equal(offsetof(struct ipc3_stream_posn, comp_id), 12);
	assert_int_equal(offsetof(struct ipc3_stream_posn, flags), 16);
	assert_int_equal(offsetof(struct ipc3_stream_posn, wallclock_hz), 20);
	assert_int_equal(offsetof(struct ipc3_stream_posn, timestamp_ns), 24);
	assert_int_equal(offsetof(struct ipc3_stream_posn, host_posn), 28);
	assert_int_equal(offsetof(struct ipc3_stream_posn, dai_posn), 36);
	assert_int_equal(offsetof(struct ipc3_stream_posn, comp_posn), 44);
	assert_int_equal(offsetof(struct ipc3_stream_posn, wallclock), 52);
	assert_int_equal(offsetof(struct ipc3_stream_posn, timestamp), 60);
	assert_int_equal(offsetof(struct ipc3_stream_posn, xrun_comp_id), 68);
	assert_int_equal(offsetof(struct ipc3_stream_posn, xrun_size), 72);

	assert_int_equal(offsetof(struct ipc3_ctrl_data, comp_id), 12);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, type), 16);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, cmd), 20);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, index), 24);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, buffer), 28);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, num_elems), 56);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, elems_remaining), 60);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, msg_index), 64);
	assert_int_equal(offsetof(struct ipc3_ctrl_data, data), 92);
	assert_int_equal(offsetof(struct ipc3_abi_hdr, abi), 12);
	assert_int_equal(offsetof(struct ipc3_abi_hdr, data), 32);
}

/* A u64 written through put_le64 at its unaligned wire offset lands in the right bytes. */
static void unaligned_position_u64_round_trips_through_le_helpers(void **state)
{
	uint8_t msg[sizeof(struct ipc3_stream_posn)];

	memset(msg, 0, sizeof(msg));
	put_le64(msg + offsetof(struct ipc3_stream_posn, host_posn), 0x0102030405060708ull);
	assert_int_equal(msg[28], 0x08);
	assert_int_equal(msg[35], 0x01);
	assert_int_equal(msg[27], 0);
	assert_int_equal(msg[36], 0);
	assert_true(get_le64(msg + 28) == 0x0102030405060708ull);
}

static void command_words_pack_and_unpack(void **state)
{
	uint32_t cmd = ipc3_cmd(IPC3_GLB_STREAM_MSG, 0x00a, 0x1234);

	assert_int_equal(cmd, 0x600a1234);
	assert_int_equal(ipc3_cmd_glb(cmd), IPC3_GLB_STREAM_MSG);
	assert_int_equal(ipc3_cmd_type(cmd), 0x00a);
	assert_int_equal(ipc3_cmd_id(cmd), 0x1234);
	assert_int_equal(ipc3_cmd_base(cmd), IPC3_STREAM_POSITION);

	/* Oversized parts are masked, not spilled into the neighbouring field. */
	cmd = ipc3_cmd(0x13, 0x1fff, 0x1ffff);
	assert_int_equal(cmd, 0x3fffffff);
	assert_int_equal(ipc3_cmd_glb(0xd0000000u), IPC3_GLB_DEBUG);
}

static void named_commands_carry_the_sof_numbers(void **state)
{
	assert_int_equal(IPC3_REPLY, 0x10000000u);
	assert_int_equal(IPC3_FW_READY, 0x70000000u);
	assert_int_equal(IPC3_TPLG_COMP_NEW, 0x30010000u);
	assert_int_equal(IPC3_TPLG_COMP_FREE, 0x30020000u);
	assert_int_equal(IPC3_TPLG_COMP_CONNECT, 0x30030000u);
	assert_int_equal(IPC3_TPLG_PIPE_NEW, 0x30100000u);
	assert_int_equal(IPC3_TPLG_PIPE_FREE, 0x30110000u);
	assert_int_equal(IPC3_TPLG_PIPE_CONNECT, 0x30120000u);
	assert_int_equal(IPC3_TPLG_PIPE_COMPLETE, 0x30130000u);
	assert_int_equal(IPC3_TPLG_BUFFER_NEW, 0x30200000u);
	assert_int_equal(IPC3_TPLG_BUFFER_FREE, 0x30210000u);
	assert_int_equal(IPC3_PM_CTX_SAVE, 0x40010000u);
	assert_int_equal(IPC3_PM_CTX_RESTORE, 0x40020000u);
	assert_int_equal(IPC3_PM_CTX_SIZE, 0x40030000u);
	assert_int_equal(IPC3_PM_CLK_SET, 0x40040000u);
	assert_int_equal(IPC3_PM_CLK_GET, 0x40050000u);
	assert_int_equal(IPC3_PM_CLK_REQ, 0x40060000u);
	assert_int_equal(IPC3_PM_CORE_ENABLE, 0x40070000u);
	assert_int_equal(IPC3_PM_GATE, 0x40080000u);
	assert_int_equal(IPC3_COMP_SET_VALUE, 0x50010000u);
	assert_int_equal(IPC3_COMP_GET_VALUE, 0x50020000u);
	assert_int_equal(IPC3_COMP_SET_DATA, 0x50030000u);
	assert_int_equal(IPC3_COMP_GET_DATA, 0x50040000u);
	assert_int_equal(IPC3_COMP_NOTIFICATION, 0x50050000u);
	assert_int_equal(IPC3_STREAM_PCM_PARAMS, 0x60010000u);
	assert_int_equal(IPC3_STREAM_PCM_PARAMS_REPLY, 0x60020000u);
	assert_int_equal(IPC3_STREAM_PCM_FREE, 0x60030000u);
	assert_int_equal(IPC3_STREAM_TRIG_START, 0x60040000u);
	assert_int_equal(IPC3_STREAM_TRIG_STOP, 0x60050000u);
	assert_int_equal(IPC3_STREAM_TRIG_PAUSE, 0x60060000u);
	assert_int_equal(IPC3_STREAM_TRIG_RELEASE, 0x60070000u);
	assert_int_equal(IPC3_STREAM_TRIG_DRAIN, 0x60080000u);
	assert_int_equal(IPC3_STREAM_TRIG_XRUN, 0x60090000u);
	assert_int_equal(IPC3_STREAM_POSITION, 0x600a0000u);
	assert_int_equal(IPC3_DAI_CONFIG, 0x80010000u);
	assert_int_equal(IPC3_DAI_LOOPBACK, 0x80020000u);
	assert_int_equal(IPC3_TRACE_DMA_PARAMS, 0x90010000u);
	assert_int_equal(IPC3_TRACE_DMA_POSITION, 0x90020000u);
}

static void vfe_codes_are_the_2020_numbers(void **state)
{
	assert_int_equal(IPC3_TPLG_VFE_GET, 0x30300000u);
	assert_int_equal(IPC3_TPLG_VFE_COMP_ID, 0x30310000u);
	assert_int_equal(IPC3_PM_VFE_POWER_STATUS, 0x40100000u);
	assert_int_equal(ipc3_cmd_glb(IPC3_TPLG_VFE_GET), IPC3_GLB_TPLG_MSG);
	assert_int_equal(ipc3_cmd_glb(IPC3_PM_VFE_POWER_STATUS), IPC3_GLB_PM_MSG);
	assert_int_equal(IPC3_VFE_GET_CHUNK_MAX, 372);
	/* The retired 2020 numbers are real SOF numbers today. */
	assert_int_equal(IPC3_RESERVED_2020_COMP_TYPE_A, IPC3_COMP_DCBLOCK);
	assert_int_equal(IPC3_RESERVED_2020_COMP_TYPE_B, IPC3_COMP_MODULE_ADAPTER);
}

static void enums_carry_the_sof_numbers(void **state)
{
	assert_int_equal(IPC3_COMP_VOLUME, 5);
	assert_int_equal(IPC3_COMP_TONE, 10);
	assert_int_equal(IPC3_COMP_BUFFER, 12);
	assert_int_equal(IPC3_COMP_DEMUX, 18);
	assert_int_equal(IPC3_COMP_MODULE_ADAPTER, 22);
	assert_int_equal(IPC3_PROCESS_EQIIR, 2);
	assert_int_equal(IPC3_PROCESS_SMART_AMP, 9);
	assert_int_equal(IPC3_FRAME_S32_LE, 2);
	assert_int_equal(IPC3_FRAME_FLOAT, 3);
	assert_int_equal(IPC3_STREAM_CAPTURE, 1);
	assert_int_equal(IPC3_VOLUME_LOG_ZC, 3);
	assert_int_equal(IPC3_XRUN_OVER_NULL, 4);
	assert_int_equal(IPC3_DAI_IMX_SAI, 5);
	assert_int_equal(IPC3_DAI_IMX_ESAI, 6);
	assert_int_equal(IPC3_CTRL_DATA_SET, 5);
	assert_int_equal(IPC3_CTRL_CMD_BINARY, 3);
	assert_int_equal(IPC3_VOLUME_Q8_16_ONE, 65536);
}

static void abi_words_pack_and_compare_by_major(void **state)
{
	uint32_t v3_22_1 = ipc3_abi_version(3, 22, 1);

	assert_int_equal(v3_22_1, 0x03016001u);
	assert_int_equal(IPC3_ABI_VERSION, 0x03017001u);
	assert_int_equal(ipc3_abi_major(IPC3_ABI_VERSION), 3);
	assert_int_equal(ipc3_abi_minor(IPC3_ABI_VERSION), 23);
	assert_int_equal(ipc3_abi_patch(IPC3_ABI_VERSION), 1);
	assert_true(ipc3_abi_compatible(IPC3_ABI_VERSION, v3_22_1));
	assert_false(ipc3_abi_compatible(IPC3_ABI_VERSION, ipc3_abi_version(4, 0, 0)));
	assert_int_equal(IPC3_ABI_MAGIC, 0x00464f53u);

	/* The magic reads "SOF" in memory order. */
	uint8_t b[4];

	put_le32(b, IPC3_ABI_MAGIC);
	assert_memory_equal(b, "SOF", 4);
}

static void commands_and_component_types_have_names(void **state)
{
	assert_string_equal(ipc3_cmd_name(IPC3_TPLG_COMP_NEW), "TPLG_COMP_NEW");
	assert_string_equal(ipc3_cmd_name(IPC3_TPLG_PIPE_COMPLETE), "TPLG_PIPE_COMPLETE");
	/* The id field of notifications does not change the name. */
	assert_string_equal(ipc3_cmd_name(IPC3_STREAM_POSITION | 7), "STREAM_POSITION");
	assert_string_equal(ipc3_cmd_name(IPC3_TPLG_VFE_GET), "TPLG_VFE_GET");
	assert_string_equal(ipc3_cmd_name(ipc3_cmd(IPC3_GLB_TPLG_MSG, 0x7ff, 0)), "UNKNOWN");
	assert_string_equal(ipc3_comp_type_name(IPC3_COMP_VOLUME), "volume");
	assert_string_equal(ipc3_comp_type_name(IPC3_COMP_EQ_IIR), "eq_iir");
	assert_string_equal(ipc3_comp_type_name(9), "unknown");
	assert_string_equal(ipc3_comp_type_name(1000), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(structure_sizes_match_the_sof_abi),
		cmocka_unit_test(component_fields_sit_at_sof_offsets),
		cmocka_unit_test(pipeline_and_reply_fields_sit_at_sof_offsets),
		cmocka_unit_test(stream_fields_sit_at_sof_offsets_including_unaligned_u64s),
		cmocka_unit_test(unaligned_position_u64_round_trips_through_le_helpers),
		cmocka_unit_test(command_words_pack_and_unpack),
		cmocka_unit_test(named_commands_carry_the_sof_numbers),
		cmocka_unit_test(vfe_codes_are_the_2020_numbers),
		cmocka_unit_test(enums_carry_the_sof_numbers),
		cmocka_unit_test(abi_words_pack_and_compare_by_major),
		cmocka_unit_test(commands_and_component_types_have_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
